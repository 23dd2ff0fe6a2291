"""report: findings and inventories rendered as text for people and JSON for machines."""

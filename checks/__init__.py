"""lintsov's built-in rules, one module each, listed in lintsov.builtin_rules (plugins
register under the ``lintsov.checks`` entry-point group instead). A module's docstring is
what ``lintsov explain`` prints."""

"""pytest setup: tests/ is a plain folder, so `import helpers` finds tests/helpers.py and
`import lintsov` finds the installed package, not the source tree."""

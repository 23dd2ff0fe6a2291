"""lintsov's built-in rules, one module each, registered under the ``lintsov.checks``
entry-point group like any third-party rule. A module's docstring is what
``lintsov explain`` prints."""

"""The subcommands of the command line, one module each with ``run(args) -> exit status``.

:mod:`symnet.cli` parses the arguments, imports only the chosen subcommand's module, and maps
errors to exit statuses.
"""

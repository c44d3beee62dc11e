"""``python -m her2scope``: the same command line as the ``her2scope`` script."""

from .cli import main

if __name__ == "__main__":
    main()

"""``python -m handpicked``: the same command as the ``handpicked`` script."""

from handpicked.cli import main

if __name__ == "__main__":
    main()

"""``python -m api.cli``: the tests and benchmarks start trede this way."""

from api.cli import main

if __name__ == "__main__":
    main()

"""bilan test suite (a package, so that conftest is one module: `from tests.conftest import ...`)."""

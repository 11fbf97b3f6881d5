"""Factories shared by every app's tests. `register`: the tenant register (neighbourhood > site > building >
dwelling > household > person), the one place such rows are made; the apps' factory modules build on it."""

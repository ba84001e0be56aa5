"""Binds every scenario under features/ (ini ``bdd_features_base_dir``) as a pytest test."""

from pytest_bdd import scenarios

scenarios(".")

"""Accounts: who may use which account page (`rules`), the pages themselves (`views`, `urls`), linking an account
to a tenant of the register (`linking`), the workers' admin screens for accounts (`admin`), allauth's adapter
(`adapters`) and the demo accounts (`demo`)."""

"""People and organisation: users, the services tree, élus and their functions, commissions, sign-in."""

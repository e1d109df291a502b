"""Browser profiles (third-party cookies blocked / allowed) for the cookie experiments."""

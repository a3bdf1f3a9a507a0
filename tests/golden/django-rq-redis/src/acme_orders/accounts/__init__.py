"""The API's users: e-mail logins, registration, tokens and throttles."""

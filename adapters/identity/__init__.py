"""Identity providers: OpenID Connect login."""

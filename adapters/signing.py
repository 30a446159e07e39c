"""Ed25519 keys for signed checkpoints (the ``cryptography`` library). The private key lives
in a file or an environment variable, never in the database."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from engine.errors import InputError

KEY_ENV = "TREDE_AUDIT_KEY"  # the private key in PEM, or
KEY_FILE_ENV = "TREDE_AUDIT_KEY_FILE"  # a file holding it


def _key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def generate() -> tuple[bytes, bytes]:
    """A new key pair: (private PEM, public PEM)."""
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return private, public


class Ed25519Signer:
    def __init__(self, key: Ed25519PrivateKey) -> None:
        self._key = key
        self.key_id = _key_id(key.public_key())

    @classmethod
    def from_pem(cls, pem: bytes, where: str = "sleutel") -> Ed25519Signer:
        try:
            key = serialization.load_pem_private_key(pem, password=None)
        except (ValueError, TypeError) as exc:
            raise InputError(where, f"geen geldige privésleutel (PEM): {exc}") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise InputError(where, "de sleutel is geen Ed25519-sleutel; maak er een met 'trede audit keygen'")
        return cls(key)

    @classmethod
    def configured(cls, path: Path | None = None) -> Ed25519Signer:
        """From --key, else TREDE_AUDIT_KEY_FILE, else TREDE_AUDIT_KEY."""
        file = path or (Path(os.environ[KEY_FILE_ENV]) if os.environ.get(KEY_FILE_ENV) else None)
        if file is not None:
            try:
                return cls.from_pem(file.read_bytes(), str(file))
            except OSError as exc:
                raise InputError("key", f"kan de sleutel {file} niet lezen: {exc.strerror}") from None
        if os.environ.get(KEY_ENV):
            return cls.from_pem(os.environ[KEY_ENV].encode(), KEY_ENV)
        raise InputError("key", f"geen ondertekensleutel: geef --key of zet {KEY_FILE_ENV} (maak er een met 'trede audit keygen')")

    def sign(self, data: bytes) -> str:
        return self._key.sign(data).hex()

    def checker(self) -> Ed25519Checker:
        return Ed25519Checker(self._key.public_key())

    @classmethod
    def from_environment(cls) -> Ed25519Signer | None:
        """The configured audit key, or None when none is configured."""
        if os.environ.get(KEY_FILE_ENV) or os.environ.get(KEY_ENV):
            return cls.configured()
        return None


class Ed25519Checker:
    def __init__(self, public: Ed25519PublicKey) -> None:
        self._public = public
        self.key_id = _key_id(public)

    @classmethod
    def from_pem(cls, pem: bytes, where: str = "publieke sleutel") -> Ed25519Checker:
        try:
            public = serialization.load_pem_public_key(pem)
        except (ValueError, TypeError) as exc:
            raise InputError(where, f"geen geldige publieke sleutel (PEM): {exc}") from None
        if not isinstance(public, Ed25519PublicKey):
            raise InputError(where, "de publieke sleutel is geen Ed25519-sleutel")
        return cls(public)

    def verify(self, data: bytes, signature: str) -> bool:
        try:
            self._public.verify(bytes.fromhex(signature), data)
        except (InvalidSignature, ValueError):
            return False
        return True

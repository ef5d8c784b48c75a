"""Identity verification for binding actions (supports, votes, a silla vacía request): how sure
the platform is that an account is one real person, and, in a government, one of its residents.

Levels, weakest first (``levels.Level``): a confirmed e-mail; a registered cédula (valid check
digit, one account per cédula platform-wide); the census roll (the cédula is on the roll the
government uploaded, and the person typed a one-time code e-mailed to them); a desk (an
official saw the person and their cédula). Modules declare the actions that need a level in
their manifest (``registry.VerificationAction``) and ask ``selectors.check`` / ``require``.

The cédula is never stored in clear: only its keyed hash (``keys.cedula_hash``, HMAC-SHA256
under MINGA_IDENTITY_KEY). This package imports no model at import time, so that settings and
manifests can import ``levels`` and ``keys``."""

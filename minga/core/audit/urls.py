audit_patterns: list = []

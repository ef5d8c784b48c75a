platform_admin_patterns: list = []

from rest_framework.permissions import BasePermission


class DeclaredPermission(BasePermission):
    def has_permission(self, request, view):
        return False

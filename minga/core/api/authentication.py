from rest_framework.authentication import BaseAuthentication


class GovernmentTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        return None

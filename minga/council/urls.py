"""Addresses of the Open Council (/concejo/): the council, its members and committees, its
acts; the back office under gestion/."""

from .acts import urls as act_urls
from .debate import urls as debate_urls
from .lifecycle import urls as lifecycle_urls
from .members import urls as member_urls

app_name = "council"

urlpatterns = [*member_urls.urlpatterns, *act_urls.urlpatterns, *lifecycle_urls.urlpatterns, *debate_urls.urlpatterns]

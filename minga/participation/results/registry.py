"""What results add to participation's manifest, in one call from apps.py: the statuses
setting, the follow kind, the comment target, the link kind with its search, the backlinks of the kinds results
point to, the back-office menu entry."""

from __future__ import annotations

from dataclasses import replace

from django.utils.translation import gettext_lazy as _

from minga.core.registry import NavEntry

from . import catalog, comments, follows, links


def extend(manifest):
    return replace(
        manifest,
        nav=manifest.nav
        + (
            NavEntry(
                _("Results of processes"),
                "participation:office_results",
                backoffice=True,
                permission="participation.view_backoffice",
            ),
        ),
        settings=manifest.settings + catalog.SETTINGS,
        followables=manifest.followables + follows.FOLLOWABLES,
        comment_targets=manifest.comment_targets + comments.COMMENT_TARGETS,
        link_resolvers={**manifest.link_resolvers, **links.LINK_RESOLVERS},
        link_search={**manifest.link_search, **links.LINK_SEARCH},
        backlinks=links.merged_backlinks(manifest.backlinks, links.BACKLINKS),
    )

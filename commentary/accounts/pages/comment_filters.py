"""The filters of the comments a profile lists: work, reading group, tag, dates (the author
is the profile's). The viewer's visibility rule has narrowed the comments already; a group
the viewer is not in leaves none, as one that does not exist."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from commentary.models import Comment


class ProfileCommentFilterForm(forms.Form):
    work = forms.SlugField(label=_("Work"), max_length=80, required=False)
    group = forms.SlugField(label=_("Reading group"), max_length=80, required=False)
    tag = forms.CharField(label=_("Tag"), max_length=40, required=False)
    created_after = forms.DateTimeField(label=_("Written from"), required=False)
    created_before = forms.DateTimeField(label=_("Written before"), required=False)

    def filtered(self, comments: QuerySet[Comment]) -> QuerySet[Comment]:
        """``comments`` narrowed by a valid form; none for an invalid one."""
        if not self.is_valid():
            return comments.none()
        data = self.cleaned_data
        if data["work"]:
            comments = comments.filter(work__slug=data["work"])
        if data["group"]:
            comments = comments.filter(group__slug=data["group"])
        if data["tag"]:
            comments = comments.filter(tags__name=data["tag"].strip().lower())
        if data["created_after"]:
            comments = comments.filter(created_at__gte=data["created_after"])
        if data["created_before"]:
            comments = comments.filter(created_at__lt=data["created_before"])
        return comments

    @property
    def used(self) -> bool:
        return any(self.data.get(name) for name in self.fields)

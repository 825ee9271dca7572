import json

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

PUBLIC = "public"


class ImportForm(forms.Form):
    export = forms.FileField(
        label=_("Export file"),
        help_text=_("A Hypothesis export (JSON) or a W3C AnnotationPage (JSON-LD)."),
    )
    into = forms.ChoiceField(label=_("Import into"))

    def __init__(self, *args, layers, **kwargs):
        super().__init__(*args, **kwargs)
        self.layers = {PUBLIC if layer is None else layer.slug: layer for layer in layers}
        self.fields["into"].choices = [
            (key, _("The public discussion") if layer is None else layer.name)
            for key, layer in self.layers.items()
        ]

    def clean_export(self):
        upload = self.cleaned_data["export"]
        limit = settings.SCHOLIA_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file can be at most %(limit)d bytes.") % {"limit": limit}
            )
        try:
            return json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise forms.ValidationError(_("The file is not JSON.")) from error

    def clean_into(self):
        return self.layers[self.cleaned_data["into"]]

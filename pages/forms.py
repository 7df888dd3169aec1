"""The feedback form: about accessibility (the statement's feedback mechanism) or the site."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Feedback


class FeedbackForm(forms.ModelForm):
    # Hidden from people by the stylesheet (.form-trap), filled in by robots that fill everything.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    class Meta:
        model = Feedback
        fields = ["topic", "page", "message", "name", "email"]
        widgets = {
            "topic": forms.RadioSelect,
            "message": forms.Textarea(attrs={"rows": 8}),
        }
        labels = {
            "name": _("Your name (optional)"),
            "email": _("Your e-mail address, for our answer"),
            "page": _("Page concerned (optional)"),
        }
        help_texts = {"page": _("Where did you meet the problem? The address or the page's title.")}

    def error_anchor(self, name):
        """The id the error summary links to (registration/templatetags): the field, or a group's
        first choice."""
        field = self[name]
        if isinstance(field.field.widget, forms.RadioSelect):
            return f"{field.auto_id}_0"
        return field.auto_id

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(_("Your submission looks automated. Please try again."), code="honeypot")
        return data

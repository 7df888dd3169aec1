"""The feedback form: about accessibility (the statement's feedback mechanism) or the site; the
admin's form of a sign-language video, whose uploads are checked from their content."""

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from materials.validation import safe_name

from . import sign_language
from .models import Feedback, SignLanguageVideo


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


class SignLanguageVideoForm(forms.ModelForm):
    """A video is MP4 or WebM and its captions WebVTT, whatever their names say
    (pages/sign_language.py); each is stored under a safe name with its real type's extension."""

    class Meta:
        model = SignLanguageVideo
        fields = ["language", "title", "video", "captions", "transcript", "poster", "order"]
        widgets = {"transcript": forms.Textarea(attrs={"rows": 6})}

    def clean_video(self):
        video = self.cleaned_data.get("video")
        if isinstance(video, UploadedFile):
            kind = sign_language.video_type(video)
            self.instance.media_type = kind.media_type
            video.name = safe_name(video.name, kind.extension)
        return video

    def clean_captions(self):
        captions = self.cleaned_data.get("captions")
        if isinstance(captions, UploadedFile):
            sign_language.check_captions(captions)
            captions.name = safe_name(captions.name, "vtt")
        return captions

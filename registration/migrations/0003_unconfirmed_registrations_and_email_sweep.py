"""Registrations awaiting the confirmation of their address (a place held, or the waiting list
asked for, until ``expires_at``) and expired ones; the e-mails' next attempt and sending lease,
for the sweep that finds an e-mail whose task was lost. E-mails already sent or given up have
no next attempt."""

import django.utils.timezone
from django.db import migrations, models


def no_next_attempt_for_finished_emails(apps, schema_editor):
    Email = apps.get_model("registration", "Email")
    Email.objects.filter(models.Q(sent_at__isnull=False) | models.Q(given_up_at__isnull=False)).update(
        next_attempt_at=None
    )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0009_list_count_index_only"),
        ("registration", "0002_secretariat_permissions"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="registration",
            name="one_active_registration_per_address",
        ),
        migrations.RemoveConstraint(
            model_name="registration",
            name="registration_status_known",
        ),
        migrations.AddField(
            model_name="email",
            name="claimed_until",
            field=models.DateTimeField(blank=True, null=True, verbose_name="being sent until"),
        ),
        migrations.AddField(
            model_name="email",
            name="next_attempt_at",
            field=models.DateTimeField(
                blank=True, default=django.utils.timezone.now, null=True, verbose_name="next attempt"
            ),
        ),
        migrations.RunPython(no_next_attempt_for_finished_emails, migrations.RunPython.noop),
        migrations.AddField(
            model_name="registration",
            name="client_key",
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name="client"),
        ),
        migrations.AddField(
            model_name="registration",
            name="expires_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="An unconfirmed registration expires then and its place is free again.",
                null=True,
                verbose_name="to be confirmed by",
            ),
        ),
        migrations.AlterField(
            model_name="email",
            name="kind",
            field=models.CharField(
                choices=[
                    ("confirm_address", "Request to confirm the address"),
                    ("confirmation", "Confirmation"),
                    ("changed", "Answers changed"),
                    ("waitlisted", "On the waiting list"),
                    ("promoted", "Place from the waiting list"),
                    ("cancelled", "Cancellation"),
                    ("reminder", "Reminder"),
                    ("event_cancelled", "Event cancelled"),
                    ("link", "Link sent again"),
                ],
                max_length=20,
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="registration",
            name="status",
            field=models.CharField(
                choices=[
                    ("confirmed", "Confirmed"),
                    ("waitlisted", "Waiting list"),
                    ("held", "Place held, address not confirmed yet"),
                    ("pending", "Waiting list requested, address not confirmed yet"),
                    ("cancelled", "Cancelled"),
                    ("expired", "Expired, address not confirmed"),
                ],
                editable=False,
                max_length=20,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="statuschange",
            name="action",
            field=models.CharField(
                choices=[
                    ("registered", "Registered"),
                    ("changed", "Answers changed"),
                    ("promoted", "Given a place from the waiting list"),
                    ("cancelled", "Cancelled"),
                    ("moved", "Moved by staff"),
                    ("address_confirmed", "Address confirmed"),
                    ("expired", "Expired: the address was not confirmed in time"),
                    ("anonymised", "Anonymised"),
                ],
                max_length=20,
                verbose_name="what",
            ),
        ),
        migrations.AlterField(
            model_name="statuschange",
            name="new_status",
            field=models.CharField(
                blank=True,
                choices=[
                    ("confirmed", "Confirmed"),
                    ("waitlisted", "Waiting list"),
                    ("held", "Place held, address not confirmed yet"),
                    ("pending", "Waiting list requested, address not confirmed yet"),
                    ("cancelled", "Cancelled"),
                    ("expired", "Expired, address not confirmed"),
                ],
                max_length=20,
                verbose_name="to",
            ),
        ),
        migrations.AlterField(
            model_name="statuschange",
            name="old_status",
            field=models.CharField(
                blank=True,
                choices=[
                    ("confirmed", "Confirmed"),
                    ("waitlisted", "Waiting list"),
                    ("held", "Place held, address not confirmed yet"),
                    ("pending", "Waiting list requested, address not confirmed yet"),
                    ("cancelled", "Cancelled"),
                    ("expired", "Expired, address not confirmed"),
                ],
                max_length=20,
                verbose_name="from",
            ),
        ),
        migrations.AddIndex(
            model_name="email",
            index=models.Index(fields=["next_attempt_at"], name="registration_email_due_idx"),
        ),
        migrations.AddIndex(
            model_name="registration",
            index=models.Index(fields=["status", "expires_at"], name="registration_unconfirmed_idx"),
        ),
        migrations.AddConstraint(
            model_name="registration",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    ("status__in", ["confirmed", "waitlisted", "held", "pending"]),
                    models.Q(("email", ""), _negated=True),
                ),
                fields=("event", "email"),
                name="one_active_registration_per_address",
            ),
        ),
        migrations.AddConstraint(
            model_name="registration",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("status__in", ["confirmed", "waitlisted", "held", "pending", "cancelled", "expired"])
                ),
                name="registration_status_known",
            ),
        ),
        migrations.AddConstraint(
            model_name="registration",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status__in", ["held", "pending"]), _negated=True),
                    ("expires_at__isnull", False),
                    _connector="OR",
                ),
                name="unconfirmed_registration_expires",
            ),
        ),
    ]

"""API tokens record whether their owner had passed two-factor authentication when issuing
them. Tokens issued before this change: an owner who has a confirmed two-factor device is
taken to have issued it after passing it (officials with a write role could only reach the
token page that way); a token of someone who never set up two-factor stays unmarked and stops
working for them once they hold a write role."""

from django.db import migrations, models


def mark_existing(apps, schema_editor):
    ApiToken = apps.get_model("core", "ApiToken")
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    owners = set(TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True))
    ApiToken.objects.filter(user_id__in=owners).update(second_factor=True)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_job_leases"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="second_factor",
            field=models.BooleanField(
                default=False,
                help_text="Whether its owner had passed two-factor authentication when issuing it. Only such a token works for someone with a write role.",
                verbose_name="issued after two-factor",
            ),
        ),
        migrations.RunPython(mark_existing, migrations.RunPython.noop),
    ]

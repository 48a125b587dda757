"""Interest in a tender, saved opportunity searches, and receipt numbers per tender that give
nothing away (existing receipts get one too)."""

import secrets

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # as tenders.models.bids.RECEIPT_ALPHABET


def number_existing_receipts(apps, schema_editor):
    BidReceipt = apps.get_model("tenders", "BidReceipt")
    used = set()
    for receipt in BidReceipt.objects.select_related("bid").order_by("pk"):
        while True:
            code = "".join(secrets.choice(ALPHABET) for _ in range(8))
            number = f"T{receipt.bid.tender_id}-{code[:4]}-{code[4:]}"
            if number not in used:
                break
        used.add(number)
        BidReceipt.objects.filter(pk=receipt.pk).update(number=number)


class Migration(migrations.Migration):

    dependencies = [
        ('socialvalue', '0004_email_confirmation_and_names'),
        ('tenders', '0004_list_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='bidreceipt',
            name='number',
            field=models.CharField(default='', editable=False, max_length=40),
            preserve_default=False,
        ),
        migrations.RunPython(number_existing_receipts, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='bidreceipt',
            name='number',
            field=models.CharField(editable=False, max_length=40, unique=True),
        ),
        migrations.CreateModel(
            name='SavedSearch',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120, verbose_name='name of the search')),
                ('query', models.JSONField(blank=True, default=dict)),
                ('email_alerts', models.BooleanField(default=True, verbose_name='email me new tenders that match')),
                ('created_at', models.DateTimeField()),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='saved_searches', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['user_id', 'name', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='Interest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('registered_at', models.DateTimeField()),
                ('bidder', models.ForeignKey(limit_choices_to={'kind': 'bidder'}, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='socialvalue.organisation')),
                ('registered_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('tender', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='interests', to='tenders.tender')),
            ],
            options={
                'ordering': ['tender_id', 'registered_at', 'pk'],
                'constraints': [models.UniqueConstraint(fields=('tender', 'bidder'), name='interest_once_per_bidder')],
            },
        ),
    ]

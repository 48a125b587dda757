"""Sign-in, password reset and email confirmation pages, with their limits.

Sign-in is django-axes' lockout (this module draws its page); password reset, registration and
new confirmation links are rate-limited through socialvalue.core.rate_limits. A refusal says plainly how long
to wait and tells nothing about whether an account exists.
"""

from axes.utils import reset as reset_sign_in_failures
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from socialvalue.core import api_tokens, rate_limits
from socialvalue.core.email_confirmation import confirmation_resend, email_confirm
from socialvalue.core.forms import ApiTokenForm, SignInForm
from socialvalue.core.models import ApiToken, Organisation, User
from socialvalue.core.web import apply_errors, require_perm

# The session remembers who signed in with the right password but an unconfirmed address, so the
# sign-in page can offer them a new link without their typing anything again.
PENDING_CONFIRMATION = "confirmation_pending_user"


class SignInView(auth_views.LoginView):
    template_name = "registration/sign_in.html"
    authentication_form = SignInForm

    def form_invalid(self, form):
        if form.unconfirmed_user is not None:
            self.request.session[PENDING_CONFIRMATION] = form.unconfirmed_user.pk
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context["offer_new_link"] = getattr(form, "unconfirmed_user", None) is not None
        return context


def sign_in_locked(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' lockout response (AXES_LOCKOUT_CALLABLE): a page that says for how long."""
    until = rate_limits.sign_in_locked_until(request, credentials)
    seconds_left = (until - timezone.now()).total_seconds() if until else None
    if seconds_left is None or seconds_left <= 0:
        seconds_left = settings.AXES_COOLOFF_TIME.total_seconds()
    return render(
        request,
        "registration/sign_in_locked.html",
        {
            "wait": rate_limits.wait_text(seconds_left),
            "until": until,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


class LimitedPasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, limited per client address and per email address typed."""

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        refusal = rate_limits.counted(
            self.request,
            group="password-reset-address",
            rate=settings.PASSWORD_RESET_RATE_PER_ADDRESS,
            key=rate_limits.by_address,
        ) or rate_limits.counted(
            self.request,
            group="password-reset-email",
            rate=settings.PASSWORD_RESET_RATE_PER_EMAIL,
            key=lambda group, request: email,
        )
        if refusal:
            # The same words whether or not the address has an account.
            form.add_error(
                None,
                "Too many password reset emails have been asked for recently. Check your inbox "
                "(and spam folder) for one already sent, or try again in "
                f"{refusal.wait_text}.",
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


class UnlockingPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choosing a new password by the emailed link proves the account's owner, so it also lifts a
    sign-in lockout on the account."""

    def form_valid(self, form):
        response = super().form_valid(form)
        reset_sign_in_failures(username=form.user.email.lower())
        return response


def email_confirm_page(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = email_confirm(token=token)
    except ValidationError as error:
        return render(
            request,
            "socialvalue/email_confirm_failed.html",
            {"problem": " ".join(error.messages)},
            status=400,
        )
    request.session.pop(PENDING_CONFIRMATION, None)
    messages.success(request, f"Your email address {user.email} is confirmed. Sign in to start.")
    return redirect("sign-in")


@require_POST
def confirmation_resend_page(request: HttpRequest) -> HttpResponse:
    user = User.objects.filter(pk=request.session.get(PENDING_CONFIRMATION)).first()
    if user is None or user.email_confirmed:
        return redirect("sign-in")
    refusal = rate_limits.counted(
        request,
        group="confirmation-resend",
        rate=settings.CONFIRMATION_RESEND_RATE_PER_ACCOUNT,
        key=lambda group, request: str(user.pk),
    )
    if refusal:
        messages.error(
            request,
            "Several new links have been sent already. Check your inbox and spam folder, or try "
            f"again in {refusal.wait_text}.",
        )
        return redirect("sign-in")
    try:
        confirmation_resend(user=user, absolute_url=request.build_absolute_uri)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"We have sent a new link to {user.email}.")
    return redirect("sign-in")


@login_required
def api_token_list(request: HttpRequest) -> HttpResponse:
    """The person's API tokens, and a form to make one; a new token's key is shown once, here."""
    require_perm(request, "socialvalue.manage_api_tokens")
    organisations = Organisation.objects.filter(memberships__user=request.user).distinct()
    form = ApiTokenForm(request.POST or None, organisations=organisations.order_by("name"))
    key = None
    if request.method == "POST" and form.is_valid():
        try:
            token, key = api_tokens.api_token_create(
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                name=form.cleaned_data["name"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            form = ApiTokenForm(organisations=organisations.order_by("name"))
    tokens = api_tokens.tokens_of(user=request.user)
    paginator = Paginator(tokens, 25)
    page = paginator.get_page(request.GET.get("page"))
    response = render(
        request,
        "socialvalue/api_tokens.html",
        {"form": form, "key": key, "page_obj": page, "has_organisations": organisations.exists()},
    )
    response["Cache-Control"] = "no-store"  # the key is on this page once, and nowhere else
    return response


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.select_related("organisation"), pk=pk)
    require_perm(request, "socialvalue.revoke_api_token", token)
    try:
        api_tokens.api_token_revoke(actor=request.user, token=token)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"The token '{token.name}' was revoked: it no longer works.")
    return redirect("api-tokens")

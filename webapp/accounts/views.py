"""HTML pages: sign-in, password reset, profile, home, and the admin pages for people."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from webapp.accounts import devices, known_devices, policy, service
from webapp.accounts import home as accounts_home
from webapp.accounts.models import OrgUnit, User
from webapp.accounts.schemas import (
    EmailForm,
    ImportForm,
    LanguageForm,
    LoginForm,
    NewPasswordForm,
    PasswordChangeForm,
    PersonForm,
)
from webapp.core import csvfile
from webapp.core.errors import DomainError
from webapp.core.forms import commits, read_form, refusal_errors, typed, use_form
from webapp.core.home import actions_for, sections_for
from webapp.core.home import ask_facts as ask_home_facts
from webapp.core.links import public_url
from webapp.core.pagination import page_args, paginate
from webapp.extensions import db, limiter
from webapp.jobs.mail import send_mail

bp = Blueprint("accounts", __name__)


# Sign-in limits (README, "Security rules"): slow a guesser, never lock the owner out.
# - per address: 20 attempts a minute, whatever the account;
# - per account and address: 5 failures in 15 minutes, then that address waits;
# - per account over every address: 10 failures in 15 minutes, then only devices that never signed in
#   to the account wait; a known device (accounts/known_devices.py) is never held back by someone else's failures.

def _login_email() -> str:
    return service.normalise_email(read_form(LoginForm)["email"])


def _account_and_address() -> str:
    return f"account:{_login_email()}|{get_remote_address()}"


def _account() -> str:
    return "account:" + _login_email()


def _known_device() -> bool:
    return known_devices.is_known(_login_email())


def _failed(response) -> bool:
    return response.status_code != 302


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])  # per address
@limiter.limit("5 per 15 minutes", key_func=_account_and_address, methods=["POST"], deduct_when=_failed)
@limiter.limit("10 per 15 minutes", key_func=_account, methods=["POST"], deduct_when=_failed,
               exempt_when=_known_device)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.home"))
    error = None
    form = read_form(LoginForm) if request.method == "POST" else {"email": ""}
    if request.method == "POST":
        user = service.authenticate(form["email"], form["password"])
        if user is not None:
            login_user(user, remember=form["remember"])  # devices.on_signed_in records it
            db.session.commit()
            return known_devices.remember(redirect(_safe_next(request.args.get("next"))), user.email)
        error = _("Adresse e-mail ou mot de passe incorrect.")
    return render_template("accounts/login.html", error=error, email=form["email"])


def _safe_next(target: str | None) -> str:
    # Only local paths: an open redirect after sign-in is a phishing tool.
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("accounts.home")


@bp.post("/logout")
@login_required
def logout():
    devices.end(current_user, current_user.device_id)
    logout_user()
    flash(_("Vous êtes déconnecté."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("5 per 15 minutes", methods=["POST"])
def forgot_password():
    if request.method == "POST":
        user = service.find_by_email(read_form(EmailForm)["email"])
        if user is not None and user.active:
            link = public_url("accounts.reset_password", token=service.reset_token(user))
            send_mail(user.email, _("Tandem : réinitialiser votre mot de passe"),
                      render_template("accounts/mail_reset.txt", user=user, link=link))
        # Same answer whether or not the address exists: the form must not reveal who has an account.
        flash(_("Si cette adresse correspond à un compte, un lien de réinitialisation vient d’être envoyé."), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot.html")


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    if service.user_from_reset_token(token) is None:
        return render_template("accounts/reset_invalid.html"), 400
    done, error = choose_password(lambda password: service.reset_password(token, password))
    if done:
        db.session.commit()
        flash(_("Mot de passe changé : vous pouvez vous connecter."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset.html", error=error), (422 if error else 200)


def choose_password(apply) -> tuple[bool, str | None]:
    """The "choose a password" form of a signed link (a reset, a forum invitation): on a POST, the two
    entries must match and ``apply(password)`` must accept it. Returns (done, the error to show)."""
    if request.method != "POST":
        return False, None
    form = read_form(NewPasswordForm)
    if form["password"] != form["confirm"]:
        return False, _("Les deux mots de passe ne correspondent pas.")
    try:
        apply(form["password"])
    except DomainError as exc:
        return False, exc.message
    return True, None


@bp.route("/")
@login_required
def home():
    user = current_user._get_current_object()  # not the proxy: every domain's section asks about them
    ask_home_facts()
    return render_template("accounts/home.html", who=accounts_home.who(user), actions=actions_for(user),
                           sections=sections_for(user))


def _render_profile(errors: dict | None = None):
    return render_template("accounts/profile.html", errors=errors or {}, who=accounts_home.who(current_user),
                           devices=devices.live(current_user), describe=devices.describe,
                           expires_at=devices.expires_at)


def _profile_refused(exc: DomainError):
    return _render_profile(refusal_errors(exc))


@bp.get("/profile")
@login_required
def profile():
    return _render_profile()


@bp.post("/profile/language")
@login_required
@use_form(LanguageForm, on_error=lambda errors: _render_profile(errors))
@commits(_profile_refused)
def profile_language(data):
    service.set_language(current_user, data["language"])
    db.session.commit()
    flash(_("Langue enregistrée."), "success")
    return redirect(url_for("accounts.profile"))


@bp.post("/profile/password")
@login_required
@use_form(PasswordChangeForm, on_error=lambda errors: _render_profile(errors))
@commits(_profile_refused)
def profile_password(data):
    if data["new_password"] != data["confirm"]:
        raise DomainError(_("Les deux mots de passe ne correspondent pas."),
                          fields={"confirm": [_("Différent.")]}, status=422)
    service.change_password(current_user, data["current_password"], data["new_password"])
    # Whoever knew the old password may be signed in elsewhere: only this device stays.
    devices.end_others(current_user, keep=current_user.device_id, reason="password_changed")
    db.session.commit()
    flash(_("Mot de passe changé."), "success")
    return redirect(url_for("accounts.profile"))


@bp.post("/profile/devices/<uuid:device_id>/sign-out")
@login_required
def sign_out_device(device_id):
    if not devices.end(current_user, device_id):
        abort(404)
    if device_id == current_user.device_id:
        logout_user()
        flash(_("Vous êtes déconnecté."), "info")
        return redirect(url_for("accounts.login"))
    flash(_("Appareil déconnecté."), "success")
    return redirect(url_for("accounts.profile") + "#devices-title")


@bp.post("/profile/devices/sign-out-others")
@login_required
def sign_out_other_devices():
    count = devices.end_others(current_user, keep=current_user.device_id)
    flash(ngettext("%(num)d autre appareil déconnecté.", "%(num)d autres appareils déconnectés.", count), "success")
    return redirect(url_for("accounts.profile") + "#devices-title")


# --- administration -------------------------------------------------------------------------------

def _require_admin() -> None:
    if not policy.can_manage_people(current_user):
        abort(403)


@bp.route("/admin/people")
@login_required
def admin_people():
    _require_admin()
    q = request.args.get("q", "").strip()
    stmt = db.select(User).order_by(User.name)
    if q:
        like = f"%{q.lower()}%"
        stmt = stmt.where(db.or_(db.func.lower(User.name).like(like), User.email.like(like)))
    page = paginate(stmt, *page_args(30))
    return render_template("accounts/admin_people.html", page=page, q=q)


def _person_or_404(person_id) -> User | None:
    person = db.session.get(User, person_id) if person_id else None
    if person_id and person is None:
        abort(404)
    _require_admin()
    return person


def _render_person(person: User | None, errors: dict | None = None):
    units = db.session.scalars(db.select(OrgUnit).order_by(OrgUnit.name)).all()
    managers = db.session.scalars(db.select(User).where(User.unit_id.is_not(None)).order_by(User.name)).all()
    return render_template("accounts/admin_person.html", person=person, units=units, managers=managers,
                           errors=errors or {}, form=typed() if errors else None)


def _person_invalid(errors: dict, person_id=None):
    message = _("Le nom et une adresse e-mail valide sont obligatoires.")
    return _render_person(_person_or_404(person_id), {"message": message, **errors})


def _person_refused(exc: DomainError, person_id=None):
    return _render_person(_person_or_404(person_id), refusal_errors(exc))


@bp.get("/admin/people/new")
@bp.get("/admin/people/<uuid:person_id>")
@login_required
def admin_person(person_id=None):
    return _render_person(_person_or_404(person_id))


@bp.post("/admin/people/new")
@bp.post("/admin/people/<uuid:person_id>")
@login_required
@use_form(PersonForm, on_error=_person_invalid)
@commits(_person_refused)
def admin_person_save(data, person_id=None):
    person = _person_or_404(person_id)
    data["name"], data["email"] = data["name"].strip(), data["email"].strip()
    if person is None:
        person = service.create_user(current_user, **data)
    else:
        service.update_user(current_user, person, **data)
    db.session.commit()
    flash(_("Fiche enregistrée."), "success")
    return redirect(url_for("accounts.admin_person", person_id=person.id))


@bp.route("/admin/import", methods=["GET", "POST"])
@login_required
def admin_import():
    _require_admin()
    result = None
    if request.method == "POST":
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            flash(_("Choisissez un fichier CSV."), "error")
            return render_template("accounts/admin_import.html", result=None), 422
        text = csvfile.decode(upload.read())
        result = service.import_people_csv(current_user, text, create_groups=read_form(ImportForm)["create_groups"])
        if result.errors:
            db.session.rollback()
            return render_template("accounts/admin_import.html", result=result), 422
        db.session.commit()
        flash(_("Import terminé : %(c)d créés, %(u)d mis à jour.", c=result.created, u=result.updated), "success")
    return render_template("accounts/admin_import.html", result=result)


@bp.route("/admin/units")
@login_required
def admin_units():
    _require_admin()
    return render_template("accounts/admin_units.html", roots=service.units_tree())

"""Template list and editor pages, including "Test template"."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request

from app.errors import AppError
from app.services import templates as service
from app.services.seeds import all_seed_choices
from app.web.common import PageUser, check_form_token, platform_of, redirect, render

router = APIRouter()
FormText = Annotated[str, Form()]


def _editor(
    request: Request,
    user,
    *,
    template_id: int | None,
    form: dict,
    status_code: int = 200,
    **extra,
):
    context = {
        "template_id": template_id,
        "form": form,
        "seeds": all_seed_choices(platform_of(request), user.id),
        **extra,
    }
    return render(request, "template_edit.html", context, user=user, status_code=status_code)


@router.get("/templates")
def list_page(request: Request, user: PageUser):
    rows, _ = service.list_templates(platform_of(request), user.id, page=1, per_page=1000)
    return render(request, "templates.html", {"templates": rows}, user=user)


@router.get("/templates/new")
def new_page(request: Request, user: PageUser):
    return _editor(request, user, template_id=None, form={"rows": "3"})


@router.get("/templates/{template_id}")
def edit_page(template_id: int, request: Request, user: PageUser):
    template = service.get_template(platform_of(request), user.id, template_id)
    form = {"name": template.name, "body": template.body, "rows": "3"}
    return _editor(request, user, template_id=template_id, form=form)


def _save(request: Request, user, template_id: int | None, name: str, body: str, form: dict):
    platform = platform_of(request)
    try:
        if template_id is None:
            template = service.create_template(platform, user.id, name=name, body=body)
        else:
            template = service.update_template(platform, user.id, template_id, name=name, body=body)
    except AppError as error:
        if error.status == 404:
            raise
        return _editor(
            request,
            user,
            template_id=template_id,
            form=form,
            errors=error.fields,
            status_code=error.status,
        )
    return redirect(request, f"/templates/{template.id}", flash="Template saved.")


def _test(request: Request, user, template_id: int | None, form: dict):
    try:
        result = service.test_template(
            platform_of(request),
            user.id,
            body=form["body"],
            seed_id=form["seed_id"],
            rows=form["rows"],
        )
    except AppError as error:
        if error.status == 404 and not error.fields:
            raise
        return _editor(
            request,
            user,
            template_id=template_id,
            form=form,
            errors=error.fields,
            status_code=error.status,
        )
    return _editor(request, user, template_id=template_id, form=form, result=result)


def _form(name, body, seed_id, rows) -> dict:
    return {"name": name, "body": body, "seed_id": seed_id, "rows": rows}


@router.post("/templates/new")
def create(
    request: Request,
    user: PageUser,
    name: FormText = "",
    body: FormText = "",
    seed_id: FormText = "",
    rows: FormText = "3",
    csrf_token: FormText = "",
):
    check_form_token(request, csrf_token)
    return _save(request, user, None, name, body, _form(name, body, seed_id, rows))


@router.post("/templates/new/test")
def test_new(
    request: Request,
    user: PageUser,
    name: FormText = "",
    body: FormText = "",
    seed_id: FormText = "",
    rows: FormText = "3",
    csrf_token: FormText = "",
):
    check_form_token(request, csrf_token)
    return _test(request, user, None, _form(name, body, seed_id, rows))


@router.post("/templates/{template_id}")
def update(
    template_id: int,
    request: Request,
    user: PageUser,
    name: FormText = "",
    body: FormText = "",
    seed_id: FormText = "",
    rows: FormText = "3",
    csrf_token: FormText = "",
):
    check_form_token(request, csrf_token)
    service.get_template(platform_of(request), user.id, template_id)
    return _save(request, user, template_id, name, body, _form(name, body, seed_id, rows))


@router.post("/templates/{template_id}/test")
def test_saved(
    template_id: int,
    request: Request,
    user: PageUser,
    name: FormText = "",
    body: FormText = "",
    seed_id: FormText = "",
    rows: FormText = "3",
    csrf_token: FormText = "",
):
    check_form_token(request, csrf_token)
    service.get_template(platform_of(request), user.id, template_id)
    return _test(request, user, template_id, _form(name, body, seed_id, rows))


@router.post("/templates/{template_id}/delete")
def delete(template_id: int, request: Request, user: PageUser, csrf_token: FormText = ""):
    check_form_token(request, csrf_token)
    template = service.get_template(platform_of(request), user.id, template_id)
    service.delete_template(platform_of(request), user.id, template_id)
    return redirect(request, "/templates", flash=f"Template {template.name} deleted.")

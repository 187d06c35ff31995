"""Feriados do órgão (admin): the days Retorno Programado skips when counting business days."""
from flask import request, url_for
from flask_login import current_user
from wtforms import DateField, IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange

from app.blueprints.admin import bp
from app.blueprints.admin.routes import _load, _org
from app.forms import EmptyForm, Form
from app.models import Holiday
from app.services import business_days
from app.services.processes import today
from app.web import submit

REQUIRED = "Campo obrigatório."


class HolidayForm(Form):
    day = DateField("Data", validators=[DataRequired("Informe uma data válida.")])
    name = StringField("Nome do feriado", validators=[DataRequired(REQUIRED), Length(max=100)])


class NationalForm(Form):
    year = IntegerField("Ano", validators=[DataRequired(REQUIRED), NumberRange(
        min=2000, max=2100, message="Informe um ano entre 2000 e 2100.")])


def _year():
    year = request.args.get("ano", type=int)
    return year if year and 2000 <= year <= 2100 else today().year


def _context(year):
    return dict(year=year, holidays=business_days.holidays(_org(), year), delete_form=EmptyForm(formdata=None),
                national_form=NationalForm(formdata=None, year=year), form=HolidayForm(formdata=None))


@bp.route("/feriados", methods=["GET", "POST"])
def holidays():
    """Feriados of the órgão, by year; include one."""
    year = _year()
    form = HolidayForm()
    return submit(form, lambda: business_days.add_holiday(_org(), by=current_user, day=form.day.data,
                                                          name=form.name.data),
                  template="admin/holidays.html", message="Feriado incluído.",
                  success_url=url_for("admin.holidays", ano=form.day.data.year if form.day.data else year),
                  **dict(_context(year), form=form))


@bp.post("/feriados/nacionais")
def national_holidays():
    """Include the fixed-date national feriados of a year."""
    form = NationalForm()
    posted = form.year.data
    year = posted if isinstance(posted, int) and 2000 <= posted <= 2100 else _year()   # refused by the form below
    return submit(form, lambda: business_days.add_national_holidays(_org(), by=current_user, year=form.year.data),
                  template="admin/holidays.html", form_key="national_form", message="Feriados nacionais incluídos.",
                  success_url=url_for("admin.holidays", ano=year), **dict(_context(year), national_form=form))


@bp.post("/feriados/<int:holiday_id>/excluir")
def delete_holiday(holiday_id):
    holiday = _load(Holiday, holiday_id)
    year = holiday.day.year
    return submit(EmptyForm(), lambda: business_days.remove_holiday(holiday, by=current_user),
                  template="admin/holidays.html", form_key="delete_form", message="Feriado excluído.",
                  success_url=url_for("admin.holidays", ano=year), **_context(year))

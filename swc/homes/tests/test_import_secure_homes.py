from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from swc.homes.models import SecureHome
from swc.organisations.models import Organisation, OrganisationKind

DATA = Path(settings.BASE_DIR).parent / "shared" / "data"
HEADER = "name,operator,operator_type,host_la_dfe_code,nation,town,latitude,longitude,approved_places,age_min,age_max,accepts,notes\n"
SWANWICK = "Swanwick Lodge,Hampshire County Council,local authority,850,England,Fareham,50.88,-1.27,16,10,17,boys and girls,\n"

pytestmark = pytest.mark.django_db


@pytest.fixture
def authorities() -> None:
    call_command("import_local_authorities", str(DATA / "local_authorities.csv"), stdout=StringIO())


def run(path: Path) -> str:
    out = StringIO()
    call_command("import_secure_homes", str(path), stdout=out, stderr=StringIO())
    return out.getvalue().strip()


def rejected(path: Path) -> str:
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_secure_homes", str(path), stdout=StringIO(), stderr=err)
    return err.getvalue()


def test_reference_file_creates_14_homes_each_its_own_organisation(authorities: None) -> None:
    assert (
        run(DATA / "secure_homes.csv")
        == "secure homes: 14 created, 0 updated, 0 unchanged, 0 rejected"
    )
    assert SecureHome.objects.count() == 14
    assert Organisation.objects.filter(kind=OrganisationKind.SECURE_HOME).count() == 14
    assert (
        sum(SecureHome.objects.filter(nation="England").values_list("approved_places", flat=True))
        == 227
    )
    hillside = SecureHome.objects.get(name="Hillside")
    assert hillside.nation == "Wales"
    assert hillside.host_local_authority is None
    assert SecureHome.objects.get(name="Swanwick Lodge").host_local_authority.dfe_la_code == "850"
    assert (
        run(DATA / "secure_homes.csv")
        == "secure homes: 0 created, 0 updated, 14 unchanged, 0 rejected"
    )


def test_unknown_host_authority_is_rejected(tmp_path: Path, authorities: None) -> None:
    path = tmp_path / "homes.csv"
    path.write_text(HEADER + SWANWICK.replace(",850,", ",999,"))
    assert "line 2: host_la_dfe_code 999 is not a known local authority" in rejected(path)
    assert SecureHome.objects.count() == 0


def test_homes_before_authorities_are_rejected_with_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "homes.csv"
    path.write_text(HEADER + SWANWICK)
    assert "import local authorities first" in rejected(path)


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (SWANWICK.replace(",10,17,", ",15,12,"), "line 2: age_min is above age_max"),
        (SWANWICK.replace(",16,", ",-3,"), "line 2: approved_places: -3 is below 0"),
        (
            SWANWICK.replace("boys and girls", "adults"),
            "line 2: accepts: 'adults' is not who the home accepts",
        ),
        (SWANWICK.replace(",850,", ",,"), "line 2: a home in England needs a host_la_dfe_code"),
        (SWANWICK + SWANWICK, "line 3: duplicate name Swanwick Lodge (first on line 2)"),
    ],
    ids=["age-range", "negative-places", "bad-accepts", "no-host", "duplicate"],
)
def test_bad_rows_are_rejected(tmp_path: Path, authorities: None, row: str, expected: str) -> None:
    path = tmp_path / "homes.csv"
    path.write_text(HEADER + row)
    assert expected in rejected(path)
    assert SecureHome.objects.count() == 0

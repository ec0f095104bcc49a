from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from swc.organisations.models import LocalAuthority, Organisation, OrganisationKind

REFERENCE = Path(settings.BASE_DIR).parent / "shared" / "data" / "local_authorities.csv"
HEADER = "dfe_la_code,gss_code,name,official_name,region,la_type,latitude,longitude,population\n"
HAMPSHIRE = (
    "850,E10000014,Hampshire,Hampshire County Council,South East,county,51.05,-1.28,1389200\n"
)
LEEDS = "383,E08000035,Leeds,Leeds City Council,Yorkshire and The Humber,metropolitan district,53.8,-1.55,798786\n"

pytestmark = pytest.mark.django_db


def run(path: Path) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_local_authorities", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_rejected(path: Path) -> tuple[str, str]:
    err = StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_local_authorities", str(path), stdout=StringIO(), stderr=err)
    return str(excinfo.value), err.getvalue()


def test_reference_file_creates_153_authorities_then_is_idempotent() -> None:
    out, _ = run(REFERENCE)
    assert out.strip() == "local authorities: 153 created, 0 updated, 0 unchanged, 0 rejected"
    assert LocalAuthority.objects.count() == 153
    hampshire = LocalAuthority.objects.get(dfe_la_code="850")
    assert hampshire.name == "Hampshire"
    assert hampshire.region == "South East"
    assert hampshire.gss_code == "E10000014"
    assert hampshire.organisation.kind == OrganisationKind.LOCAL_AUTHORITY

    out, _ = run(REFERENCE)
    assert out.strip() == "local authorities: 0 created, 0 updated, 153 unchanged, 0 rejected"
    assert Organisation.objects.filter(kind=OrganisationKind.LOCAL_AUTHORITY).count() == 153


def test_changed_row_is_reported_as_updated(tmp_path: Path) -> None:
    path = tmp_path / "las.csv"
    path.write_text(HEADER + HAMPSHIRE + LEEDS)
    run(path)
    path.write_text(HEADER + HAMPSHIRE.replace("1389200", "1400000") + LEEDS)
    out, _ = run(path)
    assert out.strip() == "local authorities: 0 created, 1 updated, 1 unchanged, 0 rejected"
    assert LocalAuthority.objects.get(dfe_la_code="850").population == 1400000


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (HEADER.replace(",population", "") + HAMPSHIRE, "line 1: missing column(s): population"),
        (
            HEADER + HAMPSHIRE + LEEDS.replace("383,", "38X,"),
            "line 3: dfe_la_code: '38X' is not a three-digit DfE LA code",
        ),
        (
            HEADER + HAMPSHIRE + LEEDS + HAMPSHIRE,
            "line 4: duplicate dfe_la_code 850 (first on line 2)",
        ),
        (
            HEADER + HAMPSHIRE.replace("South East", "Narnia"),
            "line 2: region: 'Narnia' is not an English region",
        ),
        (
            HEADER + HAMPSHIRE.replace("51.05", "48.1"),
            "line 2: latitude: 48.1 is outside 49.8 to 55.9",
        ),
        (HEADER + HAMPSHIRE.replace(",county,", ",,"), "line 2: la_type is empty"),
        (HEADER, "line 1: the file has no rows"),
    ],
    ids=[
        "missing-column",
        "bad-code",
        "duplicate-row",
        "bad-region",
        "bad-latitude",
        "empty-value",
        "empty",
    ],
)
def test_malformed_file_is_rejected_whole_with_line_and_reason(
    tmp_path: Path, content: str, expected: str
) -> None:
    path = tmp_path / "las.csv"
    path.write_text(content)
    message, errors = run_rejected(path)
    assert expected in errors
    assert "nothing was imported" in message
    assert LocalAuthority.objects.count() == 0
    assert Organisation.objects.count() == 0


def test_non_utf8_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "las.csv"
    path.write_bytes(
        (HEADER + HAMPSHIRE).encode()
        + "999,E06000099,Caf\u00e9,x,London,unitary,51.5,-0.1,1\n".encode("latin-1")
    )
    _, errors = run_rejected(path)
    assert "line 3: the file is not UTF-8 text" in errors
    assert LocalAuthority.objects.count() == 0


def test_one_bad_row_among_good_ones_imports_nothing(tmp_path: Path) -> None:
    path = tmp_path / "las.csv"
    path.write_text(HEADER + HAMPSHIRE + LEEDS.replace("798786", "many"))
    _, errors = run_rejected(path)
    assert "line 3: population: 'many' is not a whole number" in errors
    assert not LocalAuthority.objects.filter(dfe_la_code="850").exists()


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    message, _ = run_rejected(tmp_path / "nope.csv")
    assert "no such file" in message

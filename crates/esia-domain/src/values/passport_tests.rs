//! Table tests for `PassportRf` and `DeptCode`.

use super::*;

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

const TODAY: (i32, u32, u32) = (2025, 6, 1);

fn parse(
    series: &str,
    number: &str,
    date: &str,
    by: &str,
    dept: &str,
    birth: Option<NaiveDate>,
) -> Result<PassportRf, PassportErrors> {
    PassportRf::parse(
        series,
        number,
        date,
        by,
        dept,
        birth,
        ymd(TODAY.0, TODAY.1, TODAY.2),
    )
}

#[test]
fn valid_passports() {
    let by = "ГУ МВД России по г. Москве";
    let rows = [
        ("4502", "573482", "01.01.2006", "770-001", None),
        ("45 02", "573482", "01.01.2006", "770001", None),
        (
            " 5303 ",
            "925695",
            "01.01.2006",
            "006 006",
            Some(ymd(1990, 1, 1)),
        ),
        (
            "4502",
            "573 482",
            "03.12.2024",
            "198-001",
            Some(ymd(2010, 12, 3)),
        ),
        ("4502", "573482", "01.10.1997", "770-001", None),
        ("4502", "573482", "01.06.2025", "770-001", None),
    ];
    for (s, n, d, dept, birth) in rows {
        let p = parse(s, n, d, by, dept, birth).unwrap_or_else(|e| panic!("{s} {n} {d}: {e:?}"));
        assert_eq!(p.series.len(), 4);
        assert_eq!(p.number.len(), 6);
        assert_eq!(p.issue_id.len(), 6);
    }
    let p = parse(
        "45 02",
        "573482",
        "01.01.2006",
        "  УФМС   006 ",
        "006-006",
        None,
    )
    .unwrap();
    assert_eq!(p.series, "4502");
    assert_eq!(p.issue_id, "006006");
    assert_eq!(p.issued_by, "УФМС 006");
    assert_eq!(p.series_number_pretty(), "45 02 573482");
    assert_eq!(p.dept_code_formatted(), "006-006");
    assert_eq!(p.issue_date_ru(), "01.01.2006");
    assert_eq!(format!("{p:?}"), "PassportRf(** ** ******)");
}

#[test]
fn invalid_passports() {
    let by = "УФМС";
    let b = Some(ymd(2000, 5, 26));
    type Row<'a> = (
        &'a str,
        &'a str,
        &'a str,
        &'a str,
        &'a str,
        Option<NaiveDate>,
        &'a [(&'a str, &'a str)],
    );
    let rows: &[Row] = &[
        (
            "450",
            "573482",
            "01.01.2006",
            by,
            "770-001",
            None,
            &[("series", "passport_series_invalid")],
        ),
        (
            "45021",
            "573482",
            "01.01.2006",
            by,
            "770-001",
            None,
            &[("series", "passport_series_invalid")],
        ),
        (
            "45a2",
            "573482",
            "01.01.2006",
            by,
            "770-001",
            None,
            &[("series", "passport_series_invalid")],
        ),
        (
            "",
            "573482",
            "01.01.2006",
            by,
            "770-001",
            None,
            &[("series", "required")],
        ),
        (
            "4502",
            "57348",
            "01.01.2006",
            by,
            "770-001",
            None,
            &[("number", "passport_number_invalid")],
        ),
        (
            "4502",
            "5734821",
            "01.01.2006",
            by,
            "770-001",
            None,
            &[("number", "passport_number_invalid")],
        ),
        (
            "4502",
            "573482",
            "1.1.2006",
            by,
            "770-001",
            None,
            &[("issue_date", "date_invalid")],
        ),
        (
            "4502",
            "573482",
            "02.06.2025",
            by,
            "770-001",
            None,
            &[("issue_date", "passport_issue_date_in_future")],
        ),
        (
            "4502",
            "573482",
            "30.09.1997",
            by,
            "770-001",
            None,
            &[("issue_date", "passport_issue_date_too_old")],
        ),
        (
            "4502",
            "573482",
            "25.05.2014",
            by,
            "770-001",
            b,
            &[("issue_date", "passport_issued_before_14")],
        ),
        (
            "4502",
            "573482",
            "01.01.2006",
            "   ",
            "770-001",
            None,
            &[("issued_by", "required")],
        ),
        (
            "4502",
            "573482",
            "01.01.2006",
            by,
            "77-0001",
            None,
            &[("dept_code", "dept_code_invalid")],
        ),
        (
            "4502",
            "573482",
            "01.01.2006",
            by,
            "7700011",
            None,
            &[("dept_code", "dept_code_invalid")],
        ),
        (
            "4502",
            "573482",
            "01.01.2006",
            by,
            "",
            None,
            &[("dept_code", "required")],
        ),
        (
            "",
            "",
            "",
            "",
            "",
            None,
            &[
                ("series", "required"),
                ("number", "required"),
                ("issue_date", "required"),
                ("issued_by", "required"),
                ("dept_code", "required"),
            ],
        ),
    ];
    for (s, n, d, by, dept, birth, want) in rows {
        let errs = parse(s, n, d, by, dept, *birth).expect_err(s);
        let got: Vec<(&str, &str)> = errs.iter().map(|(f, e)| (*f, e.code)).collect();
        assert_eq!(got, *want, "{s:?} {n:?} {d:?} {by:?} {dept:?}");
    }
    // Exactly the 14th birthday is fine.
    assert!(parse("4502", "573482", "26.05.2014", by, "770-001", b).is_ok());
    // Born on 29 February: the 14th birthday falls back to 1 March.
    let leap = Some(ymd(2000, 2, 29));
    assert!(parse("4502", "573482", "28.02.2014", by, "770-001", leap).is_err());
    assert!(parse("4502", "573482", "01.03.2014", by, "770-001", leap).is_ok());
    let long = "У".repeat(201);
    let errs = parse("4502", "573482", "01.01.2006", &long, "770-001", None).unwrap_err();
    assert_eq!(errs[0].1.code, "passport_issued_by_invalid");
}

#[test]
fn dept_codes() {
    assert_eq!(DeptCode::parse("770-001").unwrap().digits(), "770001");
    assert_eq!(DeptCode::parse("770001").unwrap().formatted(), "770-001");
    assert_eq!(DeptCode::parse("770 001").unwrap().to_string(), "770-001");
    assert!(DeptCode::parse("77-001").is_err());
    assert!(DeptCode::parse("abc-def").is_err());
}

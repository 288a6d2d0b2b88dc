//! A deterministic test-data generator (ChaCha8 seeded by a `u64`) for personas: identifiers with
//! valid checksums (SNILS above the exemption threshold, INN, OGRN, OGRNIP), passports, Russian
//! names by gender, birth dates and places, addresses, phones, e-mails, vehicles and
//! organisations. Everything it produces passes the `values` validators (property-tested). It
//! reads no clock: "today" is a parameter.

mod data;

use chrono::{Datelike, Duration, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::values::{
    inn_check_digits, ogrn_check_digit, ogrnip_check_digit, snils_checksum, Email, Gender, Inn,
    Ogrn, Ogrnip, PassportRf, PersonName, Phone, Snils,
};
pub use data::{female_surname, PLATE_LETTERS};

/// A generated address (ESIA `/addrs` element fields).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    /// «Чувашская Республика».
    pub region: String,
    /// «Чебоксары».
    pub city: String,
    /// «Мира».
    pub street: String,
    /// House number.
    pub house: String,
    /// Flat number.
    pub flat: String,
    /// Six-digit postal code.
    pub zip_code: String,
    /// «г Чебоксары, пр-кт Мира, д. 1, кв. 1».
    pub address_str: String,
    /// A FIAS-like UUID (random, version-4 shaped).
    pub fias_code: String,
}

/// A generated vehicle (ESIA `/vhls` element fields).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vehicle {
    /// The owner's nickname for it.
    pub name: String,
    /// «А123АА77».
    pub number_plate: String,
    /// Registration certificate series (4 characters: 2 digits + 2 plate letters).
    pub reg_cert_series: String,
    /// Registration certificate number (6 digits).
    pub reg_cert_number: String,
}

/// Deterministic generator: the same seed gives the same sequence.
pub struct TestDataGenerator {
    rng: ChaCha8Rng,
}

impl std::fmt::Debug for TestDataGenerator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TestDataGenerator")
    }
}

impl TestDataGenerator {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        Self {
            rng: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    /// The underlying RNG (e.g. for [`crate::generate_password`]).
    pub fn rng(&mut self) -> &mut ChaCha8Rng {
        &mut self.rng
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> Option<T> {
        if items.is_empty() {
            None
        } else {
            Some(items[self.rng.gen_range(0..items.len())])
        }
    }

    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.rng.gen_range(0..10u8)))
            .collect()
    }

    fn region(&mut self) -> &'static data::Region {
        &data::REGIONS[self.rng.gen_range(0..data::REGIONS.len())]
    }

    /// A SNILS above `001-001-998` with a correct control number.
    pub fn snils(&mut self) -> Snils {
        let body: u32 = self.rng.gen_range(1_001_999..=999_999_999);
        let first9 = format!("{body:09}");
        let check = snils_checksum(&first9);
        Snils(format!("{first9}{check:02}"))
    }

    /// A person's 12-digit INN (region code, random body, two check digits).
    pub fn inn_person(&mut self) -> Inn {
        let body = format!("{}{}", self.region().code, self.digits(8));
        let check = inn_check_digits(&body).unwrap_or_default();
        Inn(format!("{body}{check}"))
    }

    /// An organisation's 10-digit INN.
    pub fn inn_org(&mut self) -> Inn {
        let body = format!("{}{}", self.region().code, self.digits(7));
        let check = inn_check_digits(&body).unwrap_or_default();
        Inn(format!("{body}{check}"))
    }

    /// A 13-digit ОГРН: sign 1, year, region, number, check digit.
    pub fn ogrn(&mut self) -> Ogrn {
        let year = self.rng.gen_range(2..=24u8);
        let body = format!("1{year:02}{}{}", self.region().code, self.digits(7));
        Ogrn(format!("{body}{}", ogrn_check_digit(&body)))
    }

    /// A 15-digit ОГРНИП: sign 3, year, region, number, check digit.
    pub fn ogrnip(&mut self) -> Ogrnip {
        let year = self.rng.gen_range(4..=24u8);
        let body = format!("3{year:02}{}{}", self.region().code, self.digits(9));
        Ogrnip(format!("{body}{}", ogrnip_check_digit(&body)))
    }

    /// `M` or `F`, evenly.
    pub fn gender(&mut self) -> Gender {
        if self.rng.gen_bool(0.5) {
            Gender::Male
        } else {
            Gender::Female
        }
    }

    /// (surname, given name, patronymic) matching `gender`.
    pub fn person_name(&mut self, gender: Gender) -> (PersonName, PersonName, PersonName) {
        let surname = self.pick(data::SURNAMES).unwrap_or("Иванов");
        let (m_pat, f_pat) = self
            .pick(data::PATRONYMICS)
            .unwrap_or(("Иванович", "Ивановна"));
        let (surname, name, patronymic) = match gender {
            Gender::Male => (
                surname.to_owned(),
                self.pick(data::MALE_NAMES).unwrap_or("Иван"),
                m_pat,
            ),
            Gender::Female => (
                female_surname(surname),
                self.pick(data::FEMALE_NAMES).unwrap_or("Анна"),
                f_pat,
            ),
        };
        (
            PersonName(surname),
            PersonName(name.to_owned()),
            PersonName(patronymic.to_owned()),
        )
    }

    /// A birth date making the person 18 to 80 years old on `today`.
    pub fn birth_date(&mut self, today: NaiveDate) -> NaiveDate {
        let latest = today
            .with_year(today.year() - 18)
            .unwrap_or(today - Duration::days(18 * 366));
        let earliest = today
            .with_year(today.year() - 80)
            .unwrap_or(today - Duration::days(80 * 365));
        let span = (latest - earliest).num_days().max(0);
        latest - Duration::days(self.rng.gen_range(0..=span))
    }

    /// A birth place («Москва», «с. Михайловка», …).
    pub fn birth_place(&mut self) -> String {
        self.pick(data::BIRTH_PLACES).unwrap_or("Москва").to_owned()
    }

    /// A passport issued at 14, 20 or 45 (the latest replacement age reached), in a random
    /// region; `None` when the person is under 14 on `today`. Issue dates are never before
    /// 01.10.1997 nor after `today`.
    pub fn passport(&mut self, birth_date: NaiveDate, today: NaiveDate) -> Option<PassportRf> {
        let at = |years: i32| {
            birth_date
                .with_year(birth_date.year() + years)
                .or_else(|| NaiveDate::from_ymd_opt(birth_date.year() + years, 3, 1))
        };
        let fourteen = at(14).filter(|d| *d <= today)?;
        let milestone = [45, 20]
            .into_iter()
            .filter_map(at)
            .find(|d| *d <= today)
            .unwrap_or(fourteen);
        let min_issue = crate::values::first_issue_date();
        let base = milestone.max(min_issue).max(fourteen);
        let slack = (today - base).num_days().clamp(0, 90);
        let issue_date = base + Duration::days(self.rng.gen_range(0..=slack));
        let region = self.region();
        let series = format!("{}{:02}", region.code, issue_date.year().rem_euclid(100));
        let dept = format!("{}0-{}", &region.code, self.digits(3));
        let dept_digits: String = dept.chars().filter(char::is_ascii_digit).collect();
        Some(PassportRf {
            series,
            number: self.digits(6),
            issue_date,
            issued_by: region.mvd.to_owned(),
            issue_id: dept_digits,
        })
    }

    /// An address in one of the generator's regions.
    pub fn address(&mut self) -> Address {
        let region = self.region();
        let (kind, street) = self.pick(data::STREETS).unwrap_or(("ул", "Ленина"));
        let house = self.rng.gen_range(1..=150u32).to_string();
        let flat = self.rng.gen_range(1..=300u32).to_string();
        let zip_code = format!("{}{}", region.zip_prefix, self.digits(3));
        let address_str = format!("г {}, {kind} {street}, д. {house}, кв. {flat}", region.city);
        Address {
            region: region.name.to_owned(),
            city: region.city.to_owned(),
            street: street.to_owned(),
            house,
            flat,
            zip_code,
            address_str,
            fias_code: self.uuid(),
        }
    }

    /// A random version-4-shaped UUID string.
    pub fn uuid(&mut self) -> String {
        let b: [u8; 16] = self.rng.gen();
        let hex: String = b
            .iter()
            .enumerate()
            .map(|(i, x)| match i {
                6 => format!("{:02x}", (x & 0x0f) | 0x40),
                8 => format!("{:02x}", (x & 0x3f) | 0x80),
                _ => format!("{x:02x}"),
            })
            .collect();
        format!(
            "{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        )
    }

    /// A mobile number `+7 (900) 000-XX-XX`.
    ///
    /// Russia has no reserved fictitious mobile range (unlike the UK's drama numbers), so the
    /// generator keeps to one small, visibly fake block: DEF code 900, subscriber numbers
    /// 000-00-00 … 000-99-99 (10 000 numbers). The emulator never sends real SMS (everything
    /// goes to its outbox), so a clash with a real subscriber harms no one.
    pub fn mobile_phone(&mut self) -> Phone {
        Phone(format!("+7900000{}", self.digits(4)))
    }

    /// An e-mail on an RFC 2606 reserved domain: transliterated surname, a number, and
    /// `example.com`/`.org`/`.net`.
    pub fn email(&mut self, surname: &str) -> Email {
        let mut local: String = surname.chars().map(data::translit).collect();
        local = local.trim_matches('-').to_owned();
        if local.is_empty() {
            local.push_str("user");
        }
        let n = self.rng.gen_range(1..=9999u32);
        let domain = self
            .pick(&["example.com", "example.org", "example.net"])
            .unwrap_or("example.com");
        Email(format!("{local}{n}@{domain}"))
    }

    fn plate_letter(&mut self) -> char {
        self.pick(PLATE_LETTERS).unwrap_or('А')
    }

    /// A vehicle with a plate like «А123АА77» (letters only from the 12 allowed).
    pub fn vehicle(&mut self) -> Vehicle {
        let region = self.region().code;
        let mut num = self.digits(3);
        if num == "000" {
            num = "001".to_owned();
        }
        let plate = format!(
            "{}{num}{}{}{region}",
            self.plate_letter(),
            self.plate_letter(),
            self.plate_letter()
        );
        let series = format!("{region}{}{}", self.plate_letter(), self.plate_letter());
        Vehicle {
            name: self
                .pick(data::VEHICLE_NAMES)
                .unwrap_or("Моя машина")
                .to_owned(),
            number_plate: plate,
            reg_cert_series: series,
            reg_cert_number: self.digits(6),
        }
    }

    /// An organisation name: «ООО «Ромашка»».
    pub fn org_name(&mut self) -> String {
        let form = self.pick(data::ORG_FORMS).unwrap_or("ООО");
        let name = self.pick(data::ORG_NAMES).unwrap_or("Ромашка");
        format!("{form} «{name}»")
    }
}

#[cfg(test)]
mod tests;

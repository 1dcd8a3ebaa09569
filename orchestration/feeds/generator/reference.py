"""Fixed reference lists the synthetic world is drawn from (sectors, states, countries, names).

Everything here is a plain tuple or dict literal so that iteration order is part of the source
and the same seed always yields the same bytes.
"""

from __future__ import annotations

SECTORS: tuple[str, ...] = ("electronics", "medical_devices", "aluminum_processing", "rare_earth")

# Role of each facility inside a sector, cycled in this order. At size 1.0 (12 facilities per
# sector) this gives 6 mines in total (3 rare earth, 1 each elsewhere), matching "5-7 mines".
ROLE_CYCLE: dict[str, tuple[str, ...]] = {
    "rare_earth": ("mine", "refining", "processing", "recycling", "processing", "mine",
                   "refining", "processing", "mine", "refining", "recycling", "processing"),
    "aluminum_processing": ("mine", "refining", "processing", "recycling", "processing",
                            "refining", "processing", "recycling", "processing", "refining",
                            "recycling", "processing"),
    "electronics": ("mine", "refining", "processing", "processing", "recycling", "processing",
                    "refining", "processing", "processing", "processing", "processing",
                    "processing"),
    "medical_devices": ("mine", "refining", "processing", "processing", "recycling",
                        "processing", "refining", "processing", "processing", "processing",
                        "processing", "processing"),
}

# States a sector's facilities sit in (cycled after a seeded shuffle); mines have fixed states.
SECTOR_STATES: dict[str, tuple[str, ...]] = {
    "rare_earth": ("CA", "WY", "TX", "OK", "NV", "CO", "SC"),
    "aluminum_processing": ("KY", "IN", "OH", "WA", "NY", "SC", "TN", "MO"),
    "electronics": ("AZ", "TX", "OR", "NY", "NC", "ID", "MI"),
    "medical_devices": ("MN", "MA", "IN", "PA", "UT", "NJ", "CA"),
}
MINE_STATES: dict[str, tuple[str, ...]] = {
    "rare_earth": ("CA", "WY", "TX"),
    "aluminum_processing": ("AR",),
    "electronics": ("TN",),
    "medical_devices": ("ID",),
}
STATE_CITIES: dict[str, tuple[str, ...]] = {
    "AR": ("Benton", "Little Rock"), "AZ": ("Chandler", "Phoenix", "Tucson"),
    "CA": ("Mountain Pass", "Irvine", "Fremont"), "CO": ("Golden", "Pueblo"),
    "ID": ("Salmon", "Boise"), "IN": ("Evansville", "Warsaw", "Lafayette"),
    "KY": ("Hawesville", "Sebree", "Louisville"), "MA": ("Boston", "Worcester"),
    "MI": ("Midland", "Grand Rapids"), "MN": ("Rochester", "Minneapolis"),
    "MO": ("New Madrid", "St. Louis"), "NC": ("Durham", "Kings Mountain"),
    "NJ": ("Franklin Lakes", "Newark"), "NV": ("Reno", "Elko"),
    "NY": ("Massena", "Malta", "Rochester"), "OH": ("Cleveland", "Toledo"),
    "OK": ("Stillwater", "Tulsa"), "OR": ("Hillsboro", "Albany"),
    "PA": ("Pittsburgh", "Bethlehem"), "SC": ("Goose Creek", "Greenville"),
    "TN": ("Clarksville", "Knoxville"), "TX": ("Sierra Blanca", "Fort Worth", "Austin"),
    "UT": ("Salt Lake City", "Ogden"), "WA": ("Ferndale", "Wenatchee"),
    "WY": ("Casper", "Gillette"), "WV": ("Charleston",), "NM": ("Albuquerque",),
}
# States training recipients may sit in beyond the facility states.
EXTRA_TRAINING_STATES: tuple[str, ...] = ("WV", "NM", "MI", "PA")

COMMODITIES: dict[str, tuple[str, ...]] = {
    "electronics": ("gallium arsenide wafers", "germanium substrates", "high-purity polysilicon",
                    "tantalum capacitors"),
    "medical_devices": ("cobalt-chrome alloy", "titanium implant stock", "platinum-iridium wire",
                        "tungsten shielding"),
    "aluminum_processing": ("primary aluminum ingot", "aluminum sheet", "alumina",
                            "recycled aluminum billet"),
    "rare_earth": ("NdPr oxide", "NdFeB magnets", "dysprosium oxide", "rare-earth carbonate"),
}
MINE_COMMODITY: dict[str, str] = {
    "electronics": "zinc concentrate (gallium, germanium)",
    "medical_devices": "cobalt concentrate",
    "aluminum_processing": "bauxite",
    "rare_earth": "bastnaesite concentrate",
}
END_USES: dict[str, tuple[str, ...]] = {
    "electronics": ("semiconductors", "defense electronics", "power electronics"),
    "medical_devices": ("implants", "imaging", "surgical instruments"),
    "aluminum_processing": ("grid conductors", "vehicles", "aerospace"),
    "rare_earth": ("magnets", "turbines", "EV motors"),
}
MINERALS: dict[str, tuple[str, ...]] = {
    "electronics": ("gallium", "germanium", "tantalum"),
    "medical_devices": ("cobalt", "titanium", "platinum"),
    "aluminum_processing": ("bauxite", "aluminum", "manganese"),
    "rare_earth": ("neodymium", "praseodymium", "dysprosium"),
}
# Weekly design capacity (units) median per sector and role.
CAPACITY_MEDIAN: dict[str, float] = {
    "electronics": 5200.0, "medical_devices": 2600.0, "aluminum_processing": 9800.0,
    "rare_earth": 410.0,
}
# The story: quarterly output growth by sector (target +5%), starting defect rates, and the
# domestic input share path (start in 2025-Q1, gain per quarter; target 60% by 2026).
GROWTH_PER_QUARTER: dict[str, float] = {
    "electronics": 0.068, "medical_devices": 0.031, "aluminum_processing": 0.024,
    "rare_earth": 0.074,
}
DEFECT_RATE: dict[str, float] = {
    "electronics": 0.035, "medical_devices": 0.012, "aluminum_processing": 0.021,
    "rare_earth": 0.046,
}
DOMESTIC_SHARE: dict[str, tuple[float, float]] = {
    "electronics": (0.47, 0.027), "medical_devices": (0.34, 0.018),
    "aluminum_processing": (0.57, 0.017), "rare_earth": (0.13, 0.022),
}

# Inputs per sector: (name, unit, USD per unit).
INPUTS: dict[str, tuple[tuple[str, str, float], ...]] = {
    "electronics": (("gallium metal", "kg", 550.0), ("germanium dioxide", "kg", 1900.0),
                    ("high-purity quartz", "t", 5200.0), ("natural graphite", "t", 820.0),
                    ("cobalt hydroxide", "t", 24000.0)),
    "medical_devices": (("cobalt metal", "kg", 33.0), ("titanium sponge", "kg", 11.0),
                        ("platinum group metals", "kg", 31000.0),
                        ("tantalum concentrate", "kg", 240.0)),
    "aluminum_processing": (("bauxite", "t", 52.0), ("alumina", "t", 385.0),
                            ("calcined petroleum coke", "t", 610.0),
                            ("aluminum scrap", "t", 1650.0), ("manganese ore", "t", 210.0)),
    "rare_earth": (("mixed rare-earth concentrate", "t", 9100.0), ("NdPr oxide", "kg", 72.0),
                   ("dysprosium oxide", "kg", 340.0), ("ferroboron", "t", 3100.0)),
}
# Foreign origin weights per sector (ISO alpha-2). China dominates rare earths; African sources
# (ZA, CD, ZM, MA, GA, MG, GN, MZ) feed cobalt, platinum, manganese, graphite and bauxite.
FOREIGN_ORIGINS: dict[str, tuple[tuple[str, float], ...]] = {
    "rare_earth": (("CN", 0.62), ("MY", 0.08), ("AU", 0.08), ("MM", 0.06), ("ZA", 0.05),
                   ("MG", 0.04), ("VN", 0.04), ("JP", 0.03)),
    "aluminum_processing": (("CA", 0.35), ("AE", 0.12), ("AU", 0.12), ("GN", 0.10),
                            ("BR", 0.08), ("GA", 0.06), ("IN", 0.06), ("CN", 0.06),
                            ("MZ", 0.05)),
    "electronics": (("CN", 0.35), ("JP", 0.12), ("KR", 0.10), ("DE", 0.08), ("CD", 0.08),
                    ("TW", 0.07), ("MG", 0.06), ("BE", 0.06), ("ZM", 0.04), ("MA", 0.04)),
    "medical_devices": (("ZA", 0.17), ("DE", 0.15), ("CD", 0.15), ("CN", 0.12), ("CA", 0.10),
                        ("CH", 0.08), ("ZM", 0.08), ("JP", 0.08), ("MA", 0.07)),
}
COUNTRY_CITY: dict[str, str] = {
    "AE": "Abu Dhabi", "AU": "Perth", "BE": "Olen", "BR": "Belo Horizonte", "CA": "Montréal",
    "CD": "Lubumbashi", "CH": "Zug", "CN": "Baotou", "DE": "Hamburg", "GA": "Moanda",
    "GN": "Boké", "IN": "Mumbai", "JP": "Osaka", "KR": "Ulsan", "MA": "Casablanca",
    "MG": "Toamasina", "MM": "Myitkyina", "MY": "Kuantan", "MZ": "Nacala", "TW": "Hsinchu",
    "VN": "Lao Cai", "ZA": "Rustenburg", "ZM": "Kitwe", "US": "American",
}
AFRICAN_PARTNERS: tuple[str, ...] = ("ZA", "ZM", "CD", "MA", "GA", "MG")

# Company-name stems; facility operators are "<stem> <sector word>".
NAME_STEMS: tuple[str, ...] = (
    "Mesa Ridge", "Iron Creek", "Blue Valley", "Granite Peak", "Red Butte", "Silver Fork",
    "Cedar Point", "Eagle Basin", "Prairie Star", "North Fork", "Summit Line", "Lone Pine",
    "Copper Hollow", "Twin Rivers", "Highmark", "Bright Plains", "Stonegate", "Clearwater",
    "Pioneer Bend", "Ridgeback", "Harbor Gate", "Westwind", "Oak Hollow", "Falcon Crest",
)
SECTOR_WORDS: dict[str, tuple[str, ...]] = {
    "electronics": ("Semiconductor", "Electronic Materials", "Microsystems"),
    "medical_devices": ("Medical Alloys", "Biomaterials", "Surgical Metals"),
    "aluminum_processing": ("Aluminum", "Light Metals", "Alloys"),
    "rare_earth": ("Rare Earths", "Magnetics", "Critical Minerals"),
}
ROLE_WORDS: dict[str, str] = {
    "mine": "Mine", "refining": "Refinery", "processing": "Plant", "recycling": "Recycling Center",
}
COMPANY_SUFFIXES: tuple[str, ...] = ("LLC", "INC", "CORP", "CO")

NAICS: dict[tuple[str, str], str] = {
    ("electronics", "mine"): "212230", ("electronics", "refining"): "331410",
    ("electronics", "processing"): "334413", ("electronics", "recycling"): "562920",
    ("medical_devices", "mine"): "212290", ("medical_devices", "refining"): "331410",
    ("medical_devices", "processing"): "339113", ("medical_devices", "recycling"): "562920",
    ("aluminum_processing", "mine"): "212290", ("aluminum_processing", "refining"): "331313",
    ("aluminum_processing", "processing"): "331315",
    ("aluminum_processing", "recycling"): "331314",
    ("rare_earth", "mine"): "212290", ("rare_earth", "refining"): "331410",
    ("rare_earth", "processing"): "335999", ("rare_earth", "recycling"): "562920",
}

DOE_CODE = "089"
DOE_NAME = "Department of Energy"
DOE_SUBTIER = "8900"
# Contract award types: A BPA call, B purchase order, C delivery order, D definitive contract.
CONTRACT_TYPES: tuple[tuple[str, float], ...] = (("A", 0.15), ("B", 0.20), ("C", 0.30),
                                                 ("D", 0.35))
GRANT_TYPES: tuple[tuple[str, str, float], ...] = (
    ("02", "BLOCK GRANT (A)", 0.08), ("03", "FORMULA GRANT (A)", 0.12),
    ("04", "PROJECT GRANT (B)", 0.45), ("05", "COOPERATIVE AGREEMENT (B)", 0.35),
)
LOAN_TYPES: tuple[tuple[str, str, float], ...] = (
    ("07", "DIRECT LOAN (E)", 0.55), ("08", "GUARANTEED/INSURED LOAN (F)", 0.45),
)
CFDA_GRANTS: tuple[str, ...] = (
    "81.089: Fossil Energy Research and Development",
    "81.086: Conservation Research and Development",
    "81.049: Office of Science Financial Assistance Program",
    "81.135: Advanced Research Projects Agency - Energy",
    "81.087: Renewable Energy Research and Development",
)
CFDA_WORKFORCE = "81.117: Energy Efficiency and Renewable Energy Information Dissemination, " \
    "Outreach, Training and Technical Analysis/Assistance"
CFDA_LOANS: tuple[str, ...] = (
    "81.126: Federal Loan Guarantees for Innovative Energy Technologies",
    "81.138: State Energy Financing Institutions",
)

TRAINING_KINDS: tuple[str, ...] = ("Community College", "Technical College",
                                   "Workforce Institute", "Apprenticeship Center",
                                   "University Extension")
TRACKS: tuple[tuple[str, float, int, int], ...] = (
    # track, share, min and max days to complete
    ("operator", 0.34, 60, 120), ("technician", 0.28, 90, 180), ("engineer", 0.12, 150, 270),
    ("safety", 0.14, 30, 75), ("recycling", 0.12, 60, 120),
)

FIRST_NAMES: tuple[str, ...] = (
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
    "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
    "Christopher", "Karen", "Charles", "Lisa", "Daniel", "Nancy", "Matthew", "Betty", "Anthony",
    "Sandra", "Mark", "Margaret", "Donald", "Ashley", "Steven", "Kimberly", "Andrew", "Emily",
    "Paul", "Donna", "Joshua", "Michelle", "Kenneth", "Carol", "Kevin", "Amanda", "Brian",
    "Melissa", "George", "Deborah", "Timothy", "Stephanie", "Ronald", "Rebecca", "Jason", "Sharon",
    "Edward", "Laura", "Jeffrey", "Cynthia", "Ryan", "Dorothy", "Jacob", "Amy", "Gary", "Kathleen",
    "Nicholas", "Angela", "Eric", "Shirley", "Jonathan", "Brenda", "Stephen", "Emma", "Larry",
    "Anna", "Justin", "Pamela", "Scott", "Nicole", "Brandon", "Samantha", "Benjamin", "Katherine",
    "Samuel", "Christine", "Gregory", "Helen", "Alexander", "Debra", "Patrick", "Rachel", "Frank",
    "Carolyn", "Raymond", "Janet", "Jack", "Maria", "Dennis", "Olivia", "Jerry", "Heather",
    "José", "Sofía", "Luis", "Ana", "Carlos", "Lucía", "Miguel", "Camila", "Wei", "Mei", "Minh",
    "Linh", "Aisha", "Omar", "Fatima", "Kwame", "Amara", "Priya", "Arjun", "Chloé", "Zoë",
)
LAST_NAMES: tuple[str, ...] = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
    "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez",
    "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
    "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall",
    "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Gomez", "Phillips", "Evans", "Turner",
    "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes", "Stewart", "Morris", "Morales",
    "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper", "Peterson", "Bailey",
    "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson", "Watson", "Brooks",
    "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes", "Price", "Alvarez",
    "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross", "Foster", "Jimenez", "O'Brien",
    "Núñez", "Müller", "Okafor", "Mensah", "Tran", "Chen", "Wang", "Singh", "Begay", "Yazzie",
)
EMAIL_DOMAINS: tuple[str, ...] = ("example.com", "example.org", "example.net")

"""Writes the school-context corpus under classifiers/corpus/ from hand-written templates.

Every template is a realistic post with slots ({school}, {pupil}, {staff}, ...) and its labels.
Each template is filled for several fictional schools with different rosters. Splits are by
template *and* by school: the test split uses templates and schools that train and dev never
see, so its figures say how the classifier does on a school it has never met.

    python bench/make_corpus.py            # rewrites classifiers/corpus/*.jsonl
"""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "classifiers" / "corpus"

SCHOOLS = [
    {"key": "st-aidans", "name": "St Aidan's CE Primary School", "aliases": ["St Aidan's Primary", "St Aidans"], "location": "Kendal",
     "pupils": [["Oliver", "Brennan", "4", "Olly"], ["Priya", "Sharma", "6", ""], ["Kacper", "Nowicki", "3", "Kac"], ["Ruby", "Atkinson", "5", ""], ["Tyler", "Hughes", "2", ""], ["Amara", "Okonkwo", "6", ""]],
     "staff": [["Mrs", "Helen", "Crossley", "Headteacher", "Mrs C"], ["Mr", "Gareth", "Pym", "Deputy Head", ""], ["Miss", "Laura", "Dunmore", "Year 4 teacher", ""], ["Mr", "Imran", "Siddiqui", "Year 6 teacher", ""], ["Mrs", "Janet", "Ollerton", "Teaching assistant", ""]]},
    {"key": "hollybank", "name": "Hollybank Academy", "aliases": ["Hollybank"], "location": "Rotherham",
     "pupils": [["Harvey", "Walsh", "5", ""], ["Aisha", "Rahman", "3", ""], ["Mason", "Clegg", "6", "Mase"], ["Lily-Mae", "Foster", "1", "Lily"], ["Dominik", "Kowalczyk", "4", "Dom"], ["Zara", "Begum", "2", ""]],
     "staff": [["Mr", "Steven", "Barraclough", "Principal", "Mr B"], ["Ms", "Nicola", "Haigh", "Vice Principal", ""], ["Mrs", "Tracey", "Moorhouse", "SENCo", ""], ["Mr", "Daniel", "Adeyemi", "Year 5 teacher", ""], ["Miss", "Chloe", "Pickering", "Reception teacher", ""]]},
    {"key": "greenfield", "name": "Greenfield Junior School", "aliases": ["Greenfield Juniors", "Greenfield Junior"], "location": "Luton",
     "pupils": [["Mohammed", "Iqbal", "5", "Mo"], ["Grace", "Donnelly", "4", "Gracie"], ["Callum", "Reid", "6", ""], ["Sofia", "Marino", "3", ""], ["Jamal", "Osei", "4", ""], ["Evie", "Lambert", "5", ""]],
     "staff": [["Mrs", "Angela", "Farrow", "Headteacher", ""], ["Mr", "Paul", "Kettering", "Deputy Head", ""], ["Miss", "Hannah", "Lowe", "Year 3 teacher", "Miss L"], ["Mr", "Ravi", "Chauhan", "PE teacher", ""], ["Mrs", "Denise", "Carver", "Office manager", ""]]},
    {"key": "oakwood", "name": "Oakwood Infant School", "aliases": ["Oakwood Infants"], "location": "Swindon",
     "pupils": [["Alfie", "Turner", "1", ""], ["Maisie", "Coleman", "2", ""], ["Noah", "Fernandes", "R", ""], ["Isla", "McBride", "1", ""], ["Theo", "Papadopoulos", "2", ""], ["Layla", "Hussain", "R", ""]],
     "staff": [["Mrs", "Karen", "Stebbings", "Headteacher", ""], ["Miss", "Jade", "Whitlock", "Year 1 teacher", ""], ["Mr", "Tom", "Ashdown", "Year 2 teacher", ""], ["Mrs", "Fatima", "Malik", "SENCo", ""], ["Mrs", "Pauline", "Grigg", "Lunchtime supervisor", ""]]},
    {"key": "bishop-fenwick", "name": "Bishop Fenwick Catholic Primary", "aliases": ["Bishop Fenwick", "Bishop Fenwick Primary"], "location": "Durham",
     "pupils": [["Connor", "Gallagher", "6", ""], ["Niamh", "Doherty", "3", ""], ["Jakub", "Zielinski", "5", ""], ["Phoebe", "Armstrong", "4", ""], ["Kai", "Robson", "2", ""], ["Hana", "Tanaka", "6", ""]],
     "staff": [["Mr", "Michael", "Kearney", "Headteacher", ""], ["Mrs", "Bernadette", "Quinn", "Deputy Head", "Mrs Q"], ["Miss", "Rachel", "Elliott", "Year 5 teacher", ""], ["Mr", "Andrew", "Lumsden", "Year 6 teacher", ""], ["Mrs", "Sandra", "Pattinson", "Teaching assistant", ""]]},
    {"key": "castlemead", "name": "Castlemead Primary Academy", "aliases": ["Castlemead Primary", "Castlemead Academy"], "location": "Leicester",
     "pupils": [["Arjun", "Mistry", "4", ""], ["Poppy", "Sutton", "3", ""], ["Reuben", "Cole", "6", "Reubs"], ["Emilia", "Kaur", "5", ""], ["Frankie", "Doyle", "2", ""], ["Yusuf", "Patel", "6", ""]],
     "staff": [["Mrs", "Deborah", "Haslam", "Headteacher", ""], ["Mr", "Simon", "Thorne", "Deputy Head", ""], ["Miss", "Kirsty", "Beale", "Year 4 teacher", ""], ["Mr", "Oluwaseun", "Bakare", "Year 6 teacher", "Mr Seun"], ["Mrs", "Lorraine", "Fitch", "Business manager", ""]]},
    # The test split's schools: never seen in training or tuning.
    {"key": "thornbury-park", "name": "Thornbury Park Primary School", "aliases": ["Thornbury Park Primary", "TPPS"], "location": "Bristol",
     "pupils": [["Ellis", "Morgan", "5", ""], ["Amira", "Haddad", "4", ""], ["Finley", "Price", "6", "Fin"], ["Ava", "Whitaker", "3", ""], ["Bartosz", "Lewandowski", "5", ""], ["Tia", "Campbell", "2", ""]],
     "staff": [["Mrs", "Catherine", "Blythe", "Headteacher", ""], ["Mr", "Jonathan", "Weir", "Deputy Head", ""], ["Miss", "Sophie", "Tranter", "Year 5 teacher", ""], ["Mr", "Kwame", "Asante", "Year 4 teacher", ""], ["Mrs", "Linda", "Cresswell", "Receptionist", ""]]},
    {"key": "marsh-lane", "name": "Marsh Lane Community Primary", "aliases": ["Marsh Lane Primary", "MLCP"], "location": "Hull",
     "pupils": [["Riley", "Jackson", "6", ""], ["Mia", "Novak", "3", ""], ["Ethan", "Wainwright", "4", ""], ["Safa", "Ahmed", "5", ""], ["Logan", "Petrie", "2", ""], ["Ellie", "Sanderson", "6", "El"]],
     "staff": [["Mr", "Graham", "Tidswell", "Headteacher", ""], ["Mrs", "Joanne", "Huckle", "Deputy Head", ""], ["Miss", "Amy", "Raistrick", "Year 3 teacher", ""], ["Mr", "Lee", "Fairburn", "Year 6 teacher", ""], ["Mrs", "Shabnam", "Qureshi", "SENCo", ""]]},
]  # fmt: skip
TEST_SCHOOLS = {"thornbury-park", "marsh-lane"}
OTHER_SCHOOLS = [
    "Westfield High",
    "Kings Heath Academy",
    "Park View Primary",
    "Riverside Juniors",
    "St Mary's RC Primary",
]

# (labels, relevant, kind, template). Labels use the contract's categories.
T: list[tuple[list[str], bool, str, str]] = [
    # --- threat ---
    (
        ["threat"],
        True,
        "threat",
        "If {staff} speaks to my daughter like that again I will knock him out at the gates of {school}",
    ),
    (
        ["threat"],
        True,
        "threat",
        "Someone needs to put a brick through the window at {school}, and I might be the one to do it",
    ),
    (
        ["threat", "offensive"],
        True,
        "threat",
        "{staff} better watch his back, I know where he parks at {school}",
    ),
    (
        ["threat"],
        True,
        "threat",
        "I'm going to be waiting for {staff} after school on Friday. Let's see how brave she is then",
    ),
    (
        ["threat"],
        True,
        "threat",
        "honestly gonna smash {staff}'s car up if {school} excludes my lad again",
    ),
    (
        ["threat"],
        True,
        "threat",
        "That head at {school} wants a good slap and I'm the one who'll give it her",
    ),
    (
        ["threat"],
        True,
        "threat",
        "Next time I see {staff} I'm going to f***ing batter her, {school} can call who they like",
    ),
    (
        ["threat"],
        True,
        "threat",
        "I swear down I'll come into {school} and drag {staff} out by her hair",
    ),
    (
        ["threat"],
        True,
        "threat",
        "{school} staff think they're untouchable. One of them is going to get hurt soon, mark my words",
    ),
    (
        ["threat"],
        True,
        "threat",
        "Somebody should burn {school} to the ground with the governors inside",
    ),
    (
        ["threat", "bullying"],
        True,
        "threat",
        "Tell that kid {pupil} he's getting his head kicked in on Monday outside {school}",
    ),
    (
        ["threat"],
        True,
        "threat",
        "If the year 6 boy touches my son again at {school} I'll break his dad's legs",
    ),
    (
        ["threat"],
        True,
        "threat",
        "{staff} you are DEAD when I find you. {school} won't protect you",
    ),
    (
        ["threat"],
        True,
        "threat",
        "im bringing a knife to pick up tomorrow if {staff} starts on me again #{schooltag}",
    ),
    (["threat"], True, "threat", "I'll be up at {school} with a baseball bat, see who laughs then"),
    (
        ["threat"],
        True,
        "threat",
        "{staff} is lucky I didn't punch her lights out at parents evening at {school}",
    ),
    (
        ["threat"],
        True,
        "threat",
        "Keep pushing me {school}. I will hurt someone and it will be on you",
    ),
    (
        ["threat"],
        True,
        "threat",
        "Gonna stab the next teacher at {school} who puts my kid in isolation",
    ),
    (
        ["threat"],
        True,
        "threat",
        "Whoever runs {school}'s facebook page, I know your address. Sleep well",
    ),
    (
        ["threat"],
        True,
        "threat",
        "{staff} wants to pray I don't see her in Tesco. I'll leave her on the floor",
    ),
    # --- racist ---
    (
        ["racist", "offensive"],
        True,
        "racist",
        "Why has {school} got a foreigner like {staff} teaching our kids? Send them all home",
    ),
    (
        ["racist"],
        True,
        "racist",
        "{school} is full of immigrants now, English kids don't stand a chance there",
    ),
    (
        ["racist", "pupil"],
        True,
        "racist",
        "Those {pupil_surname} kids at {school} should go back where they came from",
    ),
    (
        ["racist"],
        True,
        "racist",
        "Took mine out of {school}, too many of them lot there now if you know what I mean. Place is like a foreign country",
    ),
    (
        ["racist", "offensive"],
        True,
        "racist",
        "{staff} only got the job at {school} because of her colour, diversity hire",
    ),
    (
        ["racist"],
        True,
        "racist",
        "Half of {school} can't even speak English, they should be in their own schools not ours",
    ),
    (
        ["racist"],
        True,
        "racist",
        "{school} celebrating Eid now? This is England. If they want that they can go back to their own country",
    ),
    (
        ["racist", "pupil"],
        True,
        "racist",
        "That little {pupil_first} at {school} smells of curry every day, no wonder nobody sits with her",
    ),
    (
        ["racist"],
        True,
        "racist",
        "Polish families have ruined {school}. Never had these problems before they came over",
    ),
    (
        ["racist", "offensive"],
        True,
        "racist",
        "Can't believe {school} hired another {staff_surname}. Can't we get a proper British teacher",
    ),
    (
        ["racist"],
        True,
        "racist",
        "Black kids at {school} are always the ones kicking off, everyone knows it",
    ),
    (
        ["racist"],
        True,
        "racist",
        "{school} has become a mosque with a playground. Disgusting what they've done to it",
    ),
    (
        ["racist"],
        True,
        "racist",
        "The gypsy lot at {school} are thieves, lock your cars at pick up",
    ),
    (
        ["racist", "offensive"],
        True,
        "racist",
        "{staff} is a typical muslim, hates our culture. Shouldn't be teaching at {school}",
    ),
    (["racist"], True, "racist", "Keep {school} white. Simple as."),
    (
        ["racist"],
        True,
        "racist",
        "Chinese virus came from somewhere, maybe ask the {pupil_surname} family at {school}",
    ),
    # --- allegation ---
    (
        ["allegation"],
        True,
        "allegation",
        "{staff} at {school} grabbed my son by the arm and left bruises. They've covered it all up",
    ),
    (
        ["allegation"],
        True,
        "allegation",
        "Heard from a reliable source that {staff} turns up to {school} drunk most Mondays",
    ),
    (
        ["allegation", "complaint"],
        True,
        "allegation",
        "{school} is fiddling the attendance figures before Ofsted, ask anyone who works there",
    ),
    (
        ["allegation"],
        True,
        "allegation",
        "{staff} has been stealing from the PTA fund at {school} for years",
    ),
    (
        ["allegation"],
        True,
        "allegation",
        "The head at {school} knew about the abuse and did nothing. Protecting her mates",
    ),
    (
        ["allegation"],
        True,
        "allegation",
        "{staff} is having an affair with one of the dads at {school}, it's why his kid gets away with everything",
    ),
    (["allegation", "offensive"], True, "allegation", "{staff} is a nonce and {school} knows it"),
    (
        ["allegation"],
        True,
        "allegation",
        "My daughter says {staff} locks the SEN kids in a cupboard when they play up at {school}",
    ),
    (
        ["allegation"],
        True,
        "allegation",
        "{school} lied to the council about my son's EHCP to save money. Documented proof",
    ),
    (
        ["allegation"],
        True,
        "allegation",
        "I've been told {staff} hit a child in reception last year at {school} and they hushed it up",
    ),
    (
        ["allegation"],
        True,
        "allegation",
        "Funny how {staff}'s own kids always win the prizes at {school}. Rigged",
    ),
    (
        ["allegation", "complaint"],
        True,
        "allegation",
        "{school} is using pupil premium money for the staff Christmas do. Shameful",
    ),
    (
        ["allegation"],
        True,
        "allegation",
        "{staff} swore at a 6 year old at {school} and made her cry, they're pretending it never happened",
    ),
    (
        ["allegation"],
        True,
        "allegation",
        "the governors at {school} are in the head's pocket, they rubber stamped a bent appointment",
    ),
    (
        ["allegation"],
        True,
        "allegation",
        "{staff} deleted the CCTV from the playground at {school} after the incident. Convenient",
    ),
    (
        ["allegation"],
        True,
        "allegation",
        "{staff} takes the kids' phones and goes through their photos at {school}. That's not right",
    ),
    (
        ["allegation"],
        True,
        "allegation",
        "Teacher at {school} has been selling the kids' details, mark my words it'll come out",
    ),
    (
        ["allegation", "offensive"],
        True,
        "allegation",
        "{staff} is a liar and a fraud, she falsified my son's reports at {school}",
    ),
    # --- complaint ---
    (
        ["complaint"],
        True,
        "complaint",
        "Third email to {school} this week and still no reply. Absolutely shocking communication",
    ),
    (
        ["complaint"],
        True,
        "complaint",
        "{school} changed the pick up times AGAIN with one day's notice. How are working parents supposed to manage",
    ),
    (
        ["complaint"],
        True,
        "complaint",
        "Really disappointed with {school}'s handling of the bullying. My son has been ignored for months",
    ),
    (
        ["complaint"],
        True,
        "complaint",
        "Uniform rules at {school} are ridiculous, sent home for the wrong colour socks",
    ),
    (
        ["complaint"],
        True,
        "complaint",
        "{school} lunches are a disgrace, my daughter came home starving again",
    ),
    (
        ["complaint"],
        True,
        "complaint",
        "Is anyone else fed up with {school}? Homework is chaos and nobody listens at the office",
    ),
    (
        ["complaint"],
        True,
        "complaint",
        "The new head at {school} has made everything worse. Rules for the sake of rules",
    ),
    (
        ["complaint"],
        True,
        "complaint",
        "Not happy at all. {school} cancelled the trip and won't refund the £35",
    ),
    (
        ["complaint"],
        True,
        "complaint",
        "{school} SEN provision is non existent. We've been fobbed off for two years",
    ),
    (
        ["complaint"],
        True,
        "complaint",
        "Parking outside {school} is dangerous and the school just shrug it off",
    ),
    (
        ["complaint"],
        True,
        "complaint",
        "Can {school} please explain why my child's class has had 5 supply teachers since September",
    ),
    (
        ["complaint"],
        True,
        "complaint",
        "Very poor from {school} today, kids left standing in the rain for 20 minutes at home time",
    ),
    (
        ["complaint", "offensive"],
        True,
        "complaint",
        "{staff} clearly can't manage a class. {school} needs to sort it out",
    ),
    (
        ["complaint"],
        True,
        "complaint",
        "Worst decision {school} has ever made, scrapping the after school club with no consultation",
    ),
    (
        ["complaint"],
        True,
        "complaint",
        "{school} expects us to buy £20 jumpers with the logo when families are struggling. Out of touch",
    ),
    (
        ["complaint"],
        True,
        "complaint",
        "Our complaint to {school} about the toilets has been ignored for a term now",
    ),
    (
        ["complaint"],
        True,
        "complaint",
        "So {school} has lost my son's reading book for the third time and blamed him. Brilliant",
    ),
    (
        ["complaint"],
        True,
        "complaint",
        "The communication from {school} is appalling, found out about the strike day from another mum",
    ),
    # --- offensive about staff / people connected ---
    (
        ["offensive"],
        True,
        "offensive",
        "{staff} is a miserable old cow who shouldn't be anywhere near children",
    ),
    (["offensive"], True, "offensive", "{staff} at {school} is thick as two short planks"),
    (
        ["offensive"],
        True,
        "offensive",
        "what a stuck up snob {staff} is, looks down her nose at every parent at {school}",
    ),
    (["offensive"], True, "offensive", "{staff} is an absolute joke of a teacher. Clueless"),
    (["offensive"], True, "offensive", "That fat lazy caretaker at {school} does nothing all day"),
    (
        ["offensive"],
        True,
        "offensive",
        "{staff} has the personality of a wet lettuce and the brains to match",
    ),
    (
        ["offensive", "complaint"],
        True,
        "offensive",
        "The head at {school} is a power tripping clown. Worst head in {town}",
    ),
    (
        ["offensive"],
        True,
        "offensive",
        "{staff} is a total bitch to the kids and the parents at {school}",
    ),
    (
        ["offensive"],
        True,
        "offensive",
        "Whoever hired {staff} at {school} needs their head testing. Useless woman",
    ),
    (
        ["offensive"],
        True,
        "offensive",
        "{staff} looks like she got dressed in the dark. State of her at {school} today lol",
    ),
    (["offensive"], True, "offensive", "{staff} is a smug little prat"),
    (
        ["offensive"],
        True,
        "offensive",
        "The dinner ladies at {school} are a bunch of moody old witches",
    ),
    (
        ["offensive"],
        True,
        "offensive",
        "{staff} is such a creep, gives me the shivers at pick up at {school}",
    ),
    (
        ["offensive"],
        True,
        "offensive",
        "Honestly {staff} is the most incompetent idiot I've ever met",
    ),
    (
        ["offensive"],
        True,
        "offensive",
        "{staff} couldn't teach a dog to sit. Embarrassment to {school}",
    ),
    (
        ["offensive"],
        True,
        "offensive",
        "the governors at {school} are a bunch of spineless muppets",
    ),
    (["offensive"], True, "offensive", "{staff} needs to get over herself, vile woman"),
    # --- bullying (targeted person) ---
    (
        ["bullying", "pupil"],
        True,
        "bullying",
        "{pupil} is the ugliest kid at {school}, no wonder no one plays with him",
    ),
    (
        ["bullying", "pupil"],
        True,
        "bullying",
        "Everyone in year {year} at {school} hates {pupil_first}, she should just leave",
    ),
    (
        ["bullying", "pupil"],
        True,
        "bullying",
        "lmao look at {pupil} crying in the playground at {school} again, what a baby",
    ),
    (
        ["bullying", "offensive"],
        True,
        "bullying",
        "Let's all message {staff} every night until she quits {school}. She deserves it",
    ),
    (
        ["bullying", "pupil"],
        True,
        "bullying",
        "{pupil}'s mum can't even afford shoes for him, tramp family. {school} should ban them",
    ),
    (
        ["bullying", "pupil"],
        True,
        "bullying",
        "Started a group chat called 'we hate {pupil_first}' for the {school} lot, DM me to join",
    ),
    (["bullying", "pupil"], True, "bullying", "{pupil} stinks, everyone at {school} says so"),
    (
        ["bullying", "pupil"],
        True,
        "bullying",
        "kys {pupil_first} nobody at {school} would miss you",
    ),
    (
        ["bullying"],
        True,
        "bullying",
        "The fat girl in year {year} at {school} needs to stop eating lol",
    ),
    (
        ["bullying", "pupil"],
        True,
        "bullying",
        "Posting this pic of {pupil} falling over at {school} sports day so everyone can laugh",
    ),
    (
        ["bullying", "pupil", "offensive"],
        True,
        "bullying",
        "{pupil}'s dad is a loser and so is {pupil_first}, whole family are weirdos #{schooltag}",
    ),
    (
        ["bullying"],
        True,
        "bullying",
        "That weird kid in {staff}'s class at {school} is a freak, keep your kids away from him",
    ),
    (
        ["bullying", "pupil"],
        True,
        "bullying",
        "{pupil} is a retard, can't even read at his age #{schooltag}",
    ),
    (
        ["bullying", "offensive"],
        True,
        "bullying",
        "I'm going to keep posting about {staff} until she cracks. Everyone share",
    ),
    # --- pupil (named or described, even friendly) ---
    (
        ["pupil"],
        True,
        "pupil",
        "Massive well done to {pupil} for winning the {school} spelling bee!",
    ),
    (["pupil"], True, "pupil", "{pupil} from {school} was brilliant as Joseph in the nativity"),
    (
        ["pupil"],
        True,
        "pupil",
        "Does anyone know if {pupil} from year {year} at {school} is ok? Saw an ambulance",
    ),
    (
        ["pupil"],
        True,
        "pupil",
        "Saw {pupil} walking home alone from {school} at 4pm, shouldn't someone be with him?",
    ),
    (
        ["pupil"],
        True,
        "pupil",
        "{pupil} has been pushing other kids around at {school}, his parents need to do something",
    ),
    (
        ["pupil", "complaint"],
        True,
        "pupil",
        "Why is {pupil} still at {school} after what he did to my son? Nothing has been done",
    ),
    (
        ["pupil"],
        True,
        "pupil",
        "the year {year} boy at {school} with the red coat keeps throwing stones at cars",
    ),
    (
        ["pupil"],
        True,
        "pupil",
        "The {pupil_surname} kid at {school} was running riot again at pick up",
    ),
    (
        ["pupil"],
        True,
        "pupil",
        "Is it true {pupil_first} in year {year} at {school} has been excluded?",
    ),
    (["pupil"], True, "pupil", "Happy birthday to {pupil} from all her friends at {school}!"),
    (["pupil"], True, "pupil", "{pupil} in {staff}'s class has nits again, check your kids"),
    (
        ["pupil"],
        True,
        "pupil",
        "That new girl in year {year} at {school}, her family moved from Leeds, anyone know them?",
    ),
    (
        ["pupil"],
        True,
        "pupil",
        "{pupil} scored twice for the {school} team on Saturday, what a player",
    ),
    (
        ["pupil"],
        True,
        "pupil",
        "My son says {pupil} keeps taking his lunch at {school}. Anyone else had this?",
    ),
    (
        ["pupil"],
        True,
        "pupil",
        "Little {pupil_first} at {school} got a headteacher award today, so cute",
    ),
    (
        ["pupil", "allegation"],
        True,
        "pupil",
        "{pupil} steals from the other kids' bags at {school}, everyone knows",
    ),
    (
        ["pupil"],
        True,
        "pupil",
        "Photos of {pupil} and the rest of year {year} at {school} on the trip are up on my page",
    ),
    (
        ["pupil"],
        True,
        "pupil",
        "The boy in year {year} at {school} who has the seizures, does he have a carer now?",
    ),
    # --- hard negatives: praise ---
    ([], True, "praise", "Huge thanks to everyone at {school} for a brilliant Christmas fair!"),
    ([], True, "praise", "The kids absolutely killed it at sports day at {school} today, so proud"),
    ([], True, "praise", "{staff} is an amazing teacher, my daughter loves going to {school}"),
    ([], True, "praise", "{school} choir smashed it at the town hall tonight, goosebumps"),
    (
        [],
        True,
        "praise",
        "Shout out to {staff} for staying late to help with the science fair at {school}",
    ),
    (
        [],
        True,
        "praise",
        "Lovely assembly at {school} this morning, the year {year} class were fab",
    ),
    ([], True, "praise", "So pleased with {school}'s Ofsted, well deserved for all the hard work"),
    (
        [],
        True,
        "praise",
        "{school} football team destroyed the opposition 6-0, brutal! Well played lads",
    ),
    ([], True, "praise", "Can't say enough good things about {staff} and the team at {school}"),
    (
        [],
        True,
        "praise",
        "The reception class at {school} performed their little hearts out, I was crying",
    ),
    ([], True, "praise", "Great to see {school} raising money for the food bank, well done all"),
    ([], True, "praise", "{staff} you're a legend. Thank you for everything this year at {school}"),
    (
        [],
        True,
        "praise",
        "The new playground at {school} is stunning, the kids are going to go mad for it",
    ),
    (
        [],
        True,
        "praise",
        "Our son was so anxious about starting at {school} but {staff} has been wonderful with him",
    ),
    (
        [],
        True,
        "praise",
        "Big thumbs up to {school} for the way they dealt with the snow day, really clear messages",
    ),
    (
        [],
        True,
        "praise",
        "{school} kids slayed the talent show, honestly dying at the dance routine",
    ),
    (
        [],
        True,
        "praise",
        "That tug of war at {school} sports day was murder, the dads got absolutely battered by the mums",
    ),
    ([], True, "praise", "Book week at {school} was brilliant, so many amazing costumes"),
    # --- hard negatives: questions and notices ---
    (
        [],
        True,
        "question",
        "Does anyone know what time {school} finishes on Friday before half term?",
    ),
    (
        [],
        True,
        "question",
        "Is {school} open tomorrow with the snow? Can't get through on the phone",
    ),
    ([], True, "question", "Anyone got a spare {school} jumper age 7-8? Happy to pay"),
    (
        [],
        True,
        "question",
        "Which after school clubs does {school} do this term? Thinking of football",
    ),
    ([], True, "question", "When is the deadline for {school} reception applications?"),
    ([], True, "question", "Has anyone's child started at {school} mid year? How did they settle?"),
    (
        [],
        True,
        "question",
        "What's the parking like at {school} at drop off? Starting in September",
    ),
    ([], True, "question", "Does {school} still do the breakfast club from 7.45?"),
    ([], True, "question", "Who do I speak to at {school} about free school meals?"),
    ([], True, "question", "Is {staff} still teaching year {year} at {school} next year?"),
    ([], True, "notice", "{school} is closed on Monday for staff training. Back Tuesday as normal"),
    ([], True, "notice", "Reminder: {school} PTA bake sale this Friday after school, all welcome"),
    (
        [],
        True,
        "notice",
        "{school} summer fair Saturday 12-3pm, tombola, bouncy castle and a dog show",
    ),
    ([], True, "notice", "Lost: blue lunchbox outside {school} gates this morning, message me"),
    (
        [],
        True,
        "notice",
        "{school} are recruiting a lunchtime supervisor, 5 days a week, apply via the council site",
    ),
    (
        [],
        True,
        "notice",
        "Found a set of car keys in the {school} car park, handed in at the office",
    ),
    ([], True, "notice", "{school} open evening for new parents next Thursday 6pm"),
    (
        [],
        True,
        "notice",
        "Year {year} trip letters from {school} are due back tomorrow, don't forget!",
    ),
    (
        [],
        True,
        "notice",
        "{staff} is retiring from {school} this summer after 25 years. Card in the office if you want to sign",
    ),
    ([], True, "notice", "Flu sprays at {school} on Wednesday, forms back by Monday"),
    # --- hard negatives: parents about their own child ---
    (
        [],
        True,
        "own-child",
        "My son {pupil_first} got star of the week at {school}! So proud of him",
    ),
    (
        [],
        True,
        "own-child",
        "My daughter {pupil_first} is off sick from {school} today, poor thing has a temperature",
    ),
    (
        [],
        True,
        "own-child",
        "Our little one {pupil_first} has her first day at {school} tomorrow, wish us luck",
    ),
    ([], True, "own-child", "My boy is moving up to year {year} at {school} and he's buzzing"),
    (
        [],
        True,
        "own-child",
        "My eldest {pupil_first} just got picked for the {school} choir, over the moon",
    ),
    (
        [],
        True,
        "own-child",
        "Anyone else's kids come home from {school} with a cold this week? Mine are dropping like flies",
    ),
    # --- mild opinions that are not a breach ---
    ([], True, "neutral", "Bit gutted {school} sports day got rained off, hope they rearrange it"),
    ([], True, "neutral", "Not sure about the new {school} logo but the kids seem to like it"),
    ([], True, "neutral", "Long day at {school} fundraiser, my feet are killing me"),
    (
        [],
        True,
        "neutral",
        "{school} nativity tickets sold out in ten minutes, the struggle is real",
    ),
    (
        [],
        True,
        "neutral",
        "Spent all night making a volcano for the {school} science project. Kill me now lol",
    ),
    (
        [],
        True,
        "neutral",
        "The queue to get into {school} car park is insane at 3pm, I just walk now",
    ),
    ([], True, "neutral", "The {school} PTA meeting ran till 9pm, I nearly died of boredom"),
    (
        [],
        True,
        "neutral",
        "{school} World Book Day again, who else is making a costume out of a bin bag tonight",
    ),
    # --- irrelevant: same-named roads, clubs, other organisations, other schools ---
    (
        [],
        False,
        "irrelevant",
        "Roadworks on {place} Road again, I'll kill the next driver who cuts me up",
    ),
    ([], False, "irrelevant", "{place} FC were useless on Saturday, manager has to go"),
    (
        [],
        False,
        "irrelevant",
        "{other_school} has the worst head in the county, totally incompetent",
    ),
    ([], False, "irrelevant", "Anyone recommend a plumber in {town}?"),
    ([], False, "irrelevant", "{place} Church coffee morning raised £200, thanks all"),
    ([], False, "irrelevant", "Burglary on {place} Lane last night, keep your doors locked"),
    ([], False, "irrelevant", "The council in {town} are a joke, bins not emptied for three weeks"),
    (
        [],
        False,
        "irrelevant",
        "{other_school} staff were disgusting to my nephew, complaint going in",
    ),
    ([], False, "irrelevant", "I'm going to murder this pizza tonight"),
    (
        [],
        False,
        "irrelevant",
        "Traffic through {town} is a nightmare this morning, avoid the ring road",
    ),
    (
        [],
        False,
        "irrelevant",
        "Teachers deserve a pay rise, they are run ragged. Support the strike",
    ),
    ([], False, "irrelevant", "{place} Park Rangers under 10s won the league! Proud coach"),
    # --- more threats, varied wording ---
    (
        ["threat"],
        True,
        "threat",
        "Swear to god if {school} rings me one more time about my son I'm coming in and someone's getting hurt",
    ),
    (["threat"], True, "threat", "{staff} won't look so smug with a black eye. See you at pick up"),
    (
        ["threat"],
        True,
        "threat",
        "Me and my brothers are going down {school} tomorrow to sort {staff} out properly",
    ),
    (
        ["threat"],
        True,
        "threat",
        "I'd happily run {staff} over in the {school} car park and reverse back for good measure",
    ),
    (
        ["threat"],
        True,
        "threat",
        "Any teacher at {school} lays a finger on my kid again and they'll be leaving in an ambulance",
    ),
    (
        ["threat"],
        True,
        "threat",
        "{staff} should be scared. Very scared. I know what car she drives",
    ),
    (
        ["threat"],
        True,
        "threat",
        "Whoever reported me to {school} is getting their windows put through tonight",
    ),
    (["threat"], True, "threat", "going to shoot up {school}, they had it coming"),
    # --- more racist ---
    (
        ["racist"],
        True,
        "racist",
        "Why are we paying for interpreters at {school} for people who can't be bothered to learn English. Send them back",
    ),
    (
        ["racist", "offensive"],
        True,
        "racist",
        "{staff} and her lot are taking over {school}, won't be long before it's all halal dinners and prayer mats",
    ),
    (
        ["racist"],
        True,
        "racist",
        "My kids won't be mixing with the Romanians at {school}, dirty lot",
    ),
    (
        ["racist"],
        True,
        "racist",
        "{school} used to be a nice English school before the asylum seekers moved into {town}",
    ),
    (
        ["racist", "pupil"],
        True,
        "racist",
        "{pupil_first} {pupil_surname} and the rest of the foreign kids at {school} should have their own class away from ours",
    ),
    (
        ["racist"],
        True,
        "racist",
        "{school} teaching about Diwali while our own kids can't read. Absolute joke of a country, they should go home",
    ),
    # --- more allegations ---
    (
        ["allegation"],
        True,
        "allegation",
        "{staff} has been falsifying the SATs results at {school}, my friend on the staff told me",
    ),
    (
        ["allegation"],
        True,
        "allegation",
        "Everyone knows {staff} got the deputy job at {school} because she's sleeping with the head",
    ),
    (
        ["allegation"],
        True,
        "allegation",
        "{staff} dragged a 5 year old across the hall by his collar at {school}. I saw it with my own eyes",
    ),
    (
        ["allegation"],
        True,
        "allegation",
        "{school} never reported the safeguarding concern I raised. They are hiding something",
    ),
    (
        ["allegation"],
        True,
        "allegation",
        "{staff} pockets the money from the school trips at {school}, the numbers never add up",
    ),
    (
        ["allegation"],
        True,
        "allegation",
        "Pretty sure {staff} was smoking weed in the car park at {school}. Stank of it",
    ),
    (
        ["allegation", "complaint"],
        True,
        "allegation",
        "{school} off-rolled my son to make their results look better. That's illegal",
    ),
    (
        ["allegation"],
        True,
        "allegation",
        "{staff} has a criminal record for assault and {school} still lets him near kids",
    ),
    # --- more complaints ---
    (
        ["complaint"],
        True,
        "complaint",
        "Rang {school} four times about the bus and got nowhere. Really not acceptable",
    ),
    (
        ["complaint"],
        True,
        "complaint",
        "{school} keeps my daughter in at break for forgetting her reading record. Punishing 7 year olds for this is mad",
    ),
    (
        ["complaint"],
        True,
        "complaint",
        "Another inset day at {school}? That's the third this term. Some of us have jobs",
    ),
    (
        ["complaint"],
        True,
        "complaint",
        "Absolutely fuming with {school}, they let my son go home with a head injury and didn't even ring me",
    ),
    (
        ["complaint"],
        True,
        "complaint",
        "The after school club at {school} charges a fortune and the kids just sit on iPads",
    ),
    (
        ["complaint"],
        True,
        "complaint",
        "{school} has been useless with my son's dyslexia. Two years of excuses",
    ),
    (
        ["complaint"],
        True,
        "complaint",
        "Waited 45 minutes at parents evening at {school} for a 5 minute slot. Shambolic organisation",
    ),
    (
        ["complaint"],
        True,
        "complaint",
        "Disgusted that {school} put the Christmas play on at 2pm on a weekday. Working parents don't count apparently",
    ),
    # --- more offensive about staff ---
    (["offensive"], True, "offensive", "{staff} is a nasty piece of work, always has been"),
    (
        ["offensive"],
        True,
        "offensive",
        "{staff} with her fake tan and attitude, who does she think she is #{schooltag}",
    ),
    (["offensive"], True, "offensive", "Honestly {staff} is a brain dead waste of space"),
    (
        ["offensive"],
        True,
        "offensive",
        "the new teacher at {school} is a right moody cow, face like a slapped arse",
    ),
    (["offensive"], True, "offensive", "{staff} is a jumped up little hitler in a cardigan"),
    (
        ["offensive"],
        True,
        "offensive",
        "{staff} is so dim I'm amazed she passed her teacher training",
    ),
    (["offensive"], True, "offensive", "Can't stand {staff}. Patronising, rude and thick"),
    # --- more bullying ---
    (
        ["bullying", "pupil"],
        True,
        "bullying",
        "{pupil} is such a weirdo, my kids say nobody at {school} will sit with him and I don't blame them",
    ),
    (
        ["bullying", "pupil"],
        True,
        "bullying",
        "Share this so everyone knows what a freak {pupil} is #{schooltag}",
    ),
    (
        ["bullying", "pupil"],
        True,
        "bullying",
        "{pupil_first} {pupil_surname} you are a fat pig and everyone at {school} laughs at you",
    ),
    (
        ["bullying"],
        True,
        "bullying",
        "that skinny ginger kid in year {year} at {school} deserves everything he gets, what a loser",
    ),
    (
        ["bullying", "offensive"],
        True,
        "bullying",
        "Let's flood {staff}'s inbox every night till she quits {school}. Pass it on",
    ),
    # --- more pupil (named or described, not hostile) ---
    (
        ["pupil"],
        True,
        "pupil",
        "Found a coat with {pupil}'s name in it outside {school}, who's his mum?",
    ),
    (
        ["pupil"],
        True,
        "pupil",
        "{pupil} from {school} has been picked for the county swimming squad!",
    ),
    (
        ["pupil"],
        True,
        "pupil",
        "Well played {pupil_first} {pupil_surname}, man of the match for {school} under 11s",
    ),
    (
        ["pupil"],
        True,
        "pupil",
        "Does anyone know why {pupil} hasn't been at {school} for two weeks? His mum's not answering",
    ),
    (
        ["pupil"],
        True,
        "pupil",
        "The little girl in reception at {school} with the pink glasses was so sweet in the play",
    ),
    (
        ["pupil"],
        True,
        "pupil",
        "{pupil} in year {year} at {school} told my daughter her parents are splitting up, is that true?",
    ),
    # --- more hard negatives ---
    (
        [],
        True,
        "praise",
        "{staff} you absolute legend, my son has come on leaps and bounds at {school}",
    ),
    (
        [],
        True,
        "praise",
        "Brutal game against the dads but {school} staff team won fair and square, well played",
    ),
    (
        [],
        True,
        "praise",
        "{school} parents smashed the fundraising target, £2,000 for the hospice!",
    ),
    ([], True, "praise", "The head at {school} is the best thing that's happened to that school"),
    (
        [],
        True,
        "praise",
        "Our daughter's reading has taken off since she started with {staff}, thank you {school}",
    ),
    (
        [],
        True,
        "praise",
        "Nothing but praise for the way {school} handled the bug going round, really kind staff",
    ),
    ([], True, "praise", "{school} kids knocked 'em dead at the carol service, best one yet"),
    ([], True, "praise", "Proud to see {school} in the paper for their reading scheme"),
    (
        [],
        True,
        "praise",
        "Can't believe how much the year {year} children at {school} have grown up, lovely leavers assembly",
    ),
    ([], True, "question", "Has {school} sent the dates for the residential yet?"),
    ([], True, "question", "Is the {school} Christmas fair still on with the weather warning?"),
    ([], True, "question", "What do {school} kids need for swimming, just a costume and towel?"),
    ([], True, "question", "Does anyone know {staff}'s email? Want to say thank you for this year"),
    (
        [],
        True,
        "question",
        "Anyone walking to {school} from the new estate? Looking for someone to share the school run",
    ),
    ([], True, "question", "Do {school} do a uniform swap? Mine grows out of everything"),
    ([], True, "notice", "{school} Ofsted report is out: rated Good in all areas"),
    (
        [],
        True,
        "notice",
        "{school} roadworks notice: the side gate is closed until Friday, please use the main entrance",
    ),
    ([], True, "notice", "Local news: {school} to get a new sports hall after council funding"),
    ([], True, "notice", "{school} PTA: nearly new uniform sale in the hall Thursday 3.15"),
    (
        [],
        True,
        "notice",
        "Congratulations to {staff}, who has been appointed headteacher at {school} from September",
    ),
    ([], True, "notice", "{school} are looking for volunteers to hear readers on Tuesday mornings"),
    (
        [],
        True,
        "own-child",
        "My son has been struggling to settle at {school} but the staff are helping, fingers crossed",
    ),
    (
        [],
        True,
        "own-child",
        "So proud of my daughter {pupil_first}, she's been made a {school} house captain",
    ),
    ([], True, "own-child", "My lad came home from {school} covered in paint again, no idea how"),
    (
        [],
        True,
        "own-child",
        "Our {pupil_first} is absolutely shattered after the {school} trip, asleep by 6",
    ),
    ([], True, "neutral", "Wet play again at {school}, the kids will be climbing the walls"),
    ([], True, "neutral", "The {school} Christmas jumper day is going to destroy my bank account"),
    ([], True, "neutral", "Homework from {school} this week is making a Roman shield, send help"),
    (
        [],
        True,
        "neutral",
        "{school} sports day is going to be a bloodbath with this heat, bring suncream",
    ),
    (
        [],
        True,
        "neutral",
        "I've got the {school} WhatsApp group on mute, 300 messages about a lost sock",
    ),
    (
        [],
        True,
        "neutral",
        "Fought my way through the {school} car park today, it's like a war zone at 3pm haha",
    ),
    ([], False, "irrelevant", "{other_school} is an absolute disgrace, never answer the phone"),
    ([], False, "irrelevant", "Planning permission refused for the houses on {place} Road. Good"),
    ([], False, "irrelevant", "{place} Tigers under 9s training moved to Thursday"),
    ([], False, "irrelevant", "My boss is a useless idiot, can't wait to leave this job"),
    ([], False, "irrelevant", "I'll kill my brother if he eats my leftovers again"),
    ([], False, "irrelevant", "Happy birthday to my beautiful daughter, 8 today!"),
    (
        [],
        True,
        "praise",
        "{staff} at {school} ran the best science week, my kids haven't stopped talking about it",
    ),
    (
        [],
        True,
        "notice",
        "{staff} at {school} is doing a sponsored walk for the hospice, link below",
    ),
    ([], True, "question", "Is {staff} at {school} the one who runs the chess club?"),
    (
        [],
        True,
        "praise",
        "Bumped into {staff} from {school} in town, she remembered all three of my kids. Lovely woman",
    ),
    ([], True, "notice", "{staff} at {school} will be on the gate in the mornings from next week"),
    ([], True, "praise", "{staff} at {school} sorted out the bus pass issue in five minutes. Star"),
    (
        [],
        True,
        "question",
        "Has anyone got {staff}'s class list for the year {year} party at {school}?",
    ),
    ([], True, "neutral", "{staff} at {school} has hair the same colour as my car, I love it"),
    (["threat"], True, "threat", "I'll hurt {staff} at {school} if he keeps picking on my boy"),
    (["threat"], True, "threat", "I'm going to punch {staff} at {school} in the face on Monday"),
    (
        ["threat"],
        True,
        "threat",
        "{staff} at {school} will get a kicking off my husband if she says that again",
    ),
    (["threat"], True, "threat", "You've been warned {staff}. Next time I won't just shout"),
    (
        ["bullying", "pupil"],
        True,
        "bullying",
        "Can someone tell {pupil}'s mum her kid is a little creep? Nobody at {school} wants him at their party",
    ),
    (
        ["bullying", "pupil"],
        True,
        "bullying",
        "Screenshot this before she deletes it. {pupil} thinks she's a singer, absolutely tragic #{schooltag}",
    ),
    (
        ["bullying", "pupil"],
        True,
        "bullying",
        "Rate {pupil}'s school photo out of 10, I'll start: 2 #{schooltag}",
    ),
    (
        ["bullying", "offensive"],
        True,
        "bullying",
        "Made a fake account pretending to be {staff}, the {school} mums are loving it",
    ),
    (
        ["bullying", "pupil"],
        True,
        "bullying",
        "{pupil_first} from {school} cried in assembly again. Pathetic. Someone make a meme",
    ),
    (
        ["bullying"],
        True,
        "bullying",
        "Nobody at {school} wants to be partners with the smelly boy in year {year}. Can't blame them",
    ),
    (
        ["complaint"],
        True,
        "complaint",
        "Still waiting for {school} to get back to me about the incident last week. Not impressed",
    ),
    (
        ["complaint"],
        True,
        "complaint",
        "{school} have put the price of breakfast club up again without telling anyone. Cheeky",
    ),
    (
        ["complaint"],
        True,
        "complaint",
        "Would love to know why {school} thinks a 6 year old needs an hour of homework a night",
    ),
    (
        ["complaint"],
        True,
        "complaint",
        "The way {school} handled the head lice outbreak was a total mess, no letters, nothing",
    ),
    (
        ["complaint"],
        True,
        "complaint",
        "Sorry but {school} have got this really wrong. Cancelling sports day for a training day?",
    ),
    (
        ["complaint"],
        True,
        "complaint",
        "Has anyone else given up trying to get a straight answer out of {school}? Every email gets a different story",
    ),
    (
        ["complaint", "offensive"],
        True,
        "complaint",
        "{staff} promised to call me back about the bullying. Three weeks later, nothing. Useless",
    ),
    (
        ["allegation"],
        True,
        "allegation",
        "{staff} told my son to keep quiet about what happened in the changing room. Why would a teacher say that?",
    ),
    (
        ["allegation"],
        True,
        "allegation",
        "Word is {staff} was sacked from her last school for the same thing and {school} knew",
    ),
    (
        ["allegation"],
        True,
        "allegation",
        "{school} made the parents' complaint disappear. Funny how the governors never saw it",
    ),
    (
        ["allegation"],
        True,
        "allegation",
        "{staff} is claiming overtime for clubs that never run at {school}. Someone should check",
    ),
    (
        ["allegation"],
        True,
        "allegation",
        "I know for a fact {staff} marks her favourites up at {school}. The reports are made up",
    ),
    (
        ["offensive"],
        True,
        "offensive",
        "{staff} is a condescending old bag and the whole of {school} knows it",
    ),
    (
        ["offensive"],
        True,
        "offensive",
        "Imagine being as miserable as {staff}. Face like a smacked backside every morning",
    ),
    (
        ["offensive"],
        True,
        "offensive",
        "{staff} talks to parents like we're something on her shoe. Horrible woman",
    ),
    (["offensive"], True, "offensive", "{staff} is a total clown, no idea why {school} keeps him"),
    (
        ["offensive"],
        True,
        "offensive",
        "The office lady at {school} is the rudest person I've ever dealt with, needs sacking",
    ),
    (
        ["threat"],
        True,
        "threat",
        "{staff} should think very carefully about walking to her car alone after school",
    ),
    (
        ["threat"],
        True,
        "threat",
        "One more phone call from {school} and I'll be down there to rearrange {staff}'s face",
    ),
    (
        ["threat"],
        True,
        "threat",
        "If anything happens to my daughter at {school} I will find the teacher responsible and make them pay",
    ),
    (
        ["threat"],
        True,
        "threat",
        "Someone's going to end up in hospital if {school} doesn't sort this out, and it won't be me",
    ),
    (
        ["racist"],
        True,
        "racist",
        "{school} has gone downhill since all the foreign families moved in, no offence but it's true",
    ),
    (
        ["racist", "offensive"],
        True,
        "racist",
        "Why is a man called {staff_surname} teaching at {school}? Bet he's not even from here",
    ),
    (
        ["racist"],
        True,
        "racist",
        "Don't send your kids to {school}, it's all Pakistanis and Romanians now, our lot are the minority",
    ),
    (
        ["racist", "pupil"],
        True,
        "racist",
        "That {pupil_surname} boy at {school} is one of them refugees, lock up your bikes",
    ),
    (
        ["pupil"],
        True,
        "pupil",
        "Anyone know {pupil}'s mum? He left his PE kit at ours after the {school} party",
    ),
    (
        ["pupil"],
        True,
        "pupil",
        "The twins in year {year} at {school} have been off for ages, does anyone know if they moved?",
    ),
    (
        ["pupil"],
        True,
        "pupil",
        "{pupil_first} {pupil_surname} was the star of the {school} Christmas show, what a voice",
    ),
    (
        [],
        True,
        "praise",
        "{staff} and the whole team at {school} have been incredible this year, thank you",
    ),
    ([], True, "praise", "Hats off to {school}, they've turned the library into something amazing"),
    (
        [],
        True,
        "question",
        "Does anyone know how {school} decides who gets into the after school club? Just curious",
    ),
    (
        [],
        True,
        "question",
        "What time does the {school} disco finish on Friday? Need to arrange a lift",
    ),
    (
        [],
        True,
        "notice",
        "{school} are collecting old uniform for the swap shop, drop it in the office",
    ),
    (
        [],
        True,
        "notice",
        "Heads up: {school} car park resurfacing this weekend, no parking Monday morning",
    ),
    (
        [],
        True,
        "own-child",
        "My son was a bit upset after {school} today, nothing serious, just a falling out with a friend",
    ),
    (
        [],
        True,
        "own-child",
        "My daughter came home from {school} saying she hates maths. Any tips for helping at home?",
    ),
    (
        [],
        True,
        "neutral",
        "Not gonna lie, the {school} sports day dads race is the most competitive thing in {town}",
    ),
    ([], True, "neutral", "I will kill for a coffee after the {school} drop off this morning"),
    (
        [],
        True,
        "neutral",
        "The head at {school} is brave doing a sponsored silence with 400 kids around",
    ),
    (
        [],
        False,
        "irrelevant",
        "{other_school} parents are the worst, always parking on the zig zags",
    ),
    ([], False, "irrelevant", "My manager is an absolute clown, roll on Friday"),
]

# Added 2026-11-25 (improve branch): more varied wording, slang, typos and emoji, and more hard
# negatives. These go to train and dev only, so the test split stays as it was and its figures
# stay comparable with earlier versions.
T_MORE: list[tuple[list[str], bool, str, str]] = [
    # --- threat ---
    (
        ["threat"],
        True,
        "threat",
        "if {staff} puts her hands on my lad again i swear ill do time for it",
    ),
    (
        ["threat"],
        True,
        "threat",
        "{staff} wont be smiling much longer. know where you live love 🔪",
    ),
    (
        ["threat"],
        True,
        "threat",
        "Someone should give {staff} a taste of their own medicine in the {school} car park",
    ),
    (
        ["threat"],
        True,
        "threat",
        "Not responsible for what I do if {school} exclude my boy again. Final warning",
    ),
    (
        ["threat"],
        True,
        "threat",
        "gonna be at them gates at 3 and {staff} is getting sparked, watch",
    ),
    (
        ["threat"],
        True,
        "threat",
        "Dont be surprised if {school} goes up in flames one night, just saying",
    ),
    (
        ["threat"],
        True,
        "threat",
        "{staff} needs to watch out walking to her car, thats all im saying",
    ),
    (
        ["threat"],
        True,
        "threat",
        "my cousin has a shotgun licence and he is not happy with {school} 🙂",
    ),
    (
        ["threat", "pupil"],
        True,
        "threat",
        "That {pupil} kid wants stabbing, my son comes home crying every day from {school}",
    ),
    (
        ["threat"],
        True,
        "threat",
        "Touch my daughter again {staff} and you'll be picking your teeth up off the playground",
    ),
    # --- bullying ---
    (
        ["bullying", "pupil"],
        True,
        "bullying",
        "{pupil} is honestly the most annoying little rat at {school}, everyone avoids him",
    ),
    (
        ["bullying", "pupil"],
        True,
        "bullying",
        "lol {pupil} turned up to {school} in them charity shop trainers again 😂😂",
    ),
    (
        ["bullying", "pupil"],
        True,
        "bullying",
        "dont invite {pupil} to anything, the kid is feral. #{schooltag}",
    ),
    (
        ["bullying", "pupil"],
        True,
        "bullying",
        "{pupil} should do everyone a favour and not come back to {school} after half term",
    ),
    (
        ["bullying", "pupil"],
        True,
        "bullying",
        "Whos got the vid of {pupil} wetting himself in class at {school}? need it for the group",
    ),
    (
        ["bullying", "pupil"],
        True,
        "bullying",
        "{pupil} has no friends at {school} and honestly you can see why 🤷",
    ),
    (
        ["bullying", "pupil"],
        True,
        "bullying",
        "imagine being {pupil} lmaooo. thick as mince and smells like it #{schooltag}",
    ),
    (
        ["bullying"],
        True,
        "bullying",
        "The ginger kid in year {year} at {school} needs to get used to being called names, it's character building",
    ),
    # --- complaint ---
    (
        ["complaint"],
        True,
        "complaint",
        "Emailed {school} three times about the bus, not even an acknowledgment. What do we pay council tax for",
    ),
    (
        ["complaint"],
        True,
        "complaint",
        "{school} have changed the uniform supplier AGAIN. another £60. cheers for nothing",
    ),
    (
        ["complaint"],
        True,
        "complaint",
        "So {school} can find time for a non uniform day fundraiser but not to fix the toilets? Priorities",
    ),
    (
        ["complaint"],
        True,
        "complaint",
        "Honestly the communication from {school} is woeful. Found out about the trip from another mum",
    ),
    (
        ["complaint"],
        True,
        "complaint",
        "Whos actually in charge at {school}? Nobody takes responsibility for anything",
    ),
    (
        ["complaint"],
        True,
        "complaint",
        "3rd time this term {school} has sent the kids home early with no warning. Some of us work",
    ),
    (
        ["complaint"],
        True,
        "complaint",
        "{school} reports are copy and paste, same comments for every child. Lazy",
    ),
    (
        ["complaint"],
        True,
        "complaint",
        "Absolutely gutted with how {school} handled my sons EHCP meeting, felt like a box ticking exercise",
    ),
    (
        ["complaint"],
        True,
        "complaint",
        "Do {school} actually read emails or do they just go in the bin 🙄",
    ),
    (
        ["complaint"],
        True,
        "complaint",
        "Homework policy at {school} is a joke, 4 pieces a night for a 7 year old",
    ),
    # --- allegation ---
    (
        ["allegation"],
        True,
        "allegation",
        "{staff} was caught on camera pushing a kid into the wall at {school}. They just moved him to another class",
    ),
    (
        ["allegation"],
        True,
        "allegation",
        "Word is {staff} has been taking money out of the PTA account at {school}. Ask to see the books",
    ),
    (
        ["allegation"],
        True,
        "allegation",
        "{staff} smelt of booze at parents evening at {school}, not the first time either",
    ),
    (
        ["allegation"],
        True,
        "allegation",
        "{school} lied to Ofsted about the exclusions, my friend works in the office",
    ),
    (
        ["allegation"],
        True,
        "allegation",
        "{staff} makes the quiet kids stand in the corridor for hours at {school}. That's abuse",
    ),
    (
        ["allegation"],
        True,
        "allegation",
        "{staff} screams in the kids' faces at {school}, my daughter is terrified to go in",
    ),
    (
        ["allegation"],
        True,
        "allegation",
        "Funny how {staff} marked the test herself and her niece got top marks. {school} corruption",
    ),
    (
        ["allegation"],
        True,
        "allegation",
        "{staff} shouldnt be anywhere near children, the stuff he messages the year 6 girls at {school} is disgusting",
    ),
    # --- racist ---
    (
        ["racist"],
        True,
        "racist",
        "{school} is basically a mosque now, our traditions dont matter anymore",
    ),
    (
        ["racist"],
        True,
        "racist",
        "the foreign parents at {school} dont even try to speak English, why should our kids suffer for it",
    ),
    (
        ["racist"],
        True,
        "racist",
        "Every time there's trouble at {school} it's one of the Romanian kids. Funny that",
    ),
    (
        ["racist"],
        True,
        "racist",
        "{school} should stop letting in families who arent from this country, theyre ruining it",
    ),
    (
        ["racist"],
        True,
        "racist",
        "Another {school} job gone to someone who can barely speak the language. Brits need not apply",
    ),
    # --- offensive about staff ---
    (
        ["offensive"],
        True,
        "offensive",
        "{staff} is a complete waste of oxygen. How is she still at {school}",
    ),
    (["offensive"], True, "offensive", "{staff} = most two faced woman ive ever met #{schooltag}"),
    (
        ["offensive"],
        True,
        "offensive",
        "{staff} is a spineless little man who hides behind the receptionist at {school}",
    ),
    # --- pupil named, friendly ---
    (
        ["pupil"],
        True,
        "pupil",
        "Massive shout out to {pupil} for the goal at the {school} match on Saturday ⚽",
    ),
    (["pupil"], True, "pupil", "{pupil} from {school} read at the carol service and was fab"),
    # --- hard negatives ---
    (
        [],
        True,
        "praise",
        "{school} smashed it at the cross country today, so proud of all of them 🔥🔥",
    ),
    (
        [],
        True,
        "praise",
        "The year {year} play at {school} absolutely killed me, I was crying laughing 💀",
    ),
    (
        [],
        True,
        "praise",
        "Cant fault {school}, they sorted my sons reading support within a week. Thank you {staff}",
    ),
    ([], True, "praise", "{staff} at {school} is a legend, stayed late to help us with the forms"),
    ([], True, "praise", "Nobody does a nativity like {school}. Best one yet!"),
    (
        [],
        True,
        "question",
        "Anyone know if {school} still does the breakfast club? Need it from January",
    ),
    (
        [],
        True,
        "question",
        "Is it non uniform at {school} on Friday or next week? My lot are adamant its tomorrow",
    ),
    (
        [],
        True,
        "question",
        "Whats the best way to contact {staff} at {school} about a reading book?",
    ),
    (
        [],
        True,
        "notice",
        "Lost: blue water bottle with a dinosaur sticker, left at {school} gates this morning. Please message me",
    ),
    ([], True, "notice", "{school} PTA meeting moved to Thursday 7pm in the hall. All welcome"),
    (
        [],
        True,
        "own-child",
        "My son fell out with his best mate at {school} today and he's gutted. Kids eh",
    ),
    (
        [],
        True,
        "own-child",
        "My daughter says she was a bit naughty at {school} today and got told off. Fair enough",
    ),
    (
        [],
        True,
        "neutral",
        "The {school} sports day was brutal in that heat, dads race nearly killed me",
    ),
    ([], True, "neutral", "Fed up of this rain, {school} pick up was like a swamp 😂"),
    (
        [],
        True,
        "neutral",
        "My kids would fight to the death over the last {school} cookie at the bake sale",
    ),
    (
        [],
        True,
        "neutral",
        "{staff} is retiring from {school} after 30 years, she will be so missed",
    ),
    (
        [],
        False,
        "irrelevant",
        "Road closed on {place} Road this morning, gas leak, avoid if you can",
    ),
    ([], False, "irrelevant", "{place} FC under 10s lost 6-0 again, ref was useless"),
    (
        [],
        False,
        "irrelevant",
        "Useless council still hasnt fixed the potholes by the shops in {town}",
    ),
    # Second batch, written after the rule families were frozen (a fresh-wording check for them).
    (
        ["complaint"],
        True,
        "complaint",
        "With respect, {school} needs to rethink the pick up system. Forty minutes in a queue is not ok",
    ),
    (
        ["complaint"],
        True,
        "complaint",
        "I raised this with {staff} in September and here we are in December with nothing changed at {school}",
    ),
    (
        ["complaint"],
        True,
        "complaint",
        "Does anyone else feel {school} just doesn't care about the kids who aren't top of the class?",
    ),
    (
        ["complaint"],
        True,
        "complaint",
        "{school} charging £4 for a cake sale ticket is taking the mick tbh",
    ),
    (
        ["complaint"],
        True,
        "complaint",
        "Third supply teacher this month at {school}. My kid hasn't learnt a thing since october",
    ),
    (
        ["complaint"],
        True,
        "complaint",
        "Appalled by the state of the toilets at {school}, my daughter won't use them all day",
    ),
    (
        ["complaint"],
        True,
        "complaint",
        "{school} sent a letter home blaming parents for the head lice. Charming",
    ),
    (
        ["allegation"],
        True,
        "allegation",
        "{staff} put my son in isolation for a week at {school} and didnt record it anywhere. Thats illegal",
    ),
    (
        ["allegation"],
        True,
        "allegation",
        "{staff} has been seen vaping with year 6s behind the {school} sports hall",
    ),
    (
        ["allegation"],
        True,
        "allegation",
        "Pretty sure {staff} is pocketing the trip money at {school}, numbers never add up",
    ),
    (
        ["allegation"],
        True,
        "allegation",
        "{staff} made my daughter eat her lunch off the floor at {school} as a punishment",
    ),
    (
        ["allegation"],
        True,
        "allegation",
        "{staff} bribes the kids with sweets to say nothing to their parents. Something very wrong at {school}",
    ),
    (
        ["bullying", "pupil"],
        True,
        "bullying",
        "{pupil} honestly looks like a potato, cant believe {school} put her on the poster 😂",
    ),
    (
        ["bullying", "pupil"],
        True,
        "bullying",
        "all the {school} mums are muting {pupil}s mum and telling the kids to ignore her daughter. brilliant",
    ),
    (
        ["bullying", "pupil"],
        True,
        "bullying",
        "{pupil} is the reason nobody wants to go to {school}, horrible little weasel",
    ),
    (
        ["bullying", "pupil"],
        True,
        "bullying",
        "whoever sits next to {pupil} at {school} deserves a medal, must be like sitting next to a bin",
    ),
    (
        ["bullying"],
        True,
        "bullying",
        "{staff} cries in her car every lunchtime at {school} lol we all know why. keep it up everyone",
    ),
    (["threat"], True, "threat", "Last warning {school}. Next time I won't be using words"),
    (
        ["threat"],
        True,
        "threat",
        "{staff} better hope I don't see her in Tesco after what she did to my boy at {school}",
    ),
    (
        ["threat"],
        True,
        "threat",
        "I'll be paying {staff} a visit at home, the school obviously won't deal with it. {school}",
    ),
    (["threat"], True, "threat", "There will be blood at {school} if this carries on"),
    (
        ["racist"],
        True,
        "racist",
        "{school} bending over backwards for the muslims again, Christmas cancelled next",
    ),
    (
        ["racist"],
        True,
        "racist",
        "Half the {school} mums don't work and live off benefits, all eastern European, draw your own conclusions",
    ),
    (["racist"], True, "racist", "{school} is more like Lagos than {town} these days"),
    (
        ["offensive"],
        True,
        "offensive",
        "{staff} has the charm of a parking warden and the brains of a goldfish",
    ),
    (
        ["offensive"],
        True,
        "offensive",
        "honestly {staff} is a nasty old bag, {school} should be ashamed",
    ),
    (
        [],
        True,
        "praise",
        "{school} teachers are unreal this year, my son actually wants to go in 🙌",
    ),
    ([], True, "praise", "Cried my eyes out at the {school} leavers assembly, what a school"),
    (
        [],
        True,
        "question",
        "Has {school} said anything about the strike day yet? Not seen a letter",
    ),
    (
        [],
        True,
        "question",
        "Why does {school} finish at 3:15 on Fridays? Just curious, new to the area",
    ),
    (
        [],
        True,
        "notice",
        "{school} nativity tickets on sale Monday via the app, limit 2 per family",
    ),
    (
        [],
        True,
        "own-child",
        "My son is being a nightmare about going into {school} this week, any tips for anxious kids?",
    ),
    (
        [],
        True,
        "own-child",
        "Our daughter has been really happy since moving to {school}, such a relief after last year",
    ),
    (
        [],
        True,
        "neutral",
        "Not gonna lie the {school} fireworks were a bit rubbish this year but the kids loved the hot dogs",
    ),
    ([], True, "neutral", "The {school} quiz night was murder, we came last by a mile 😂"),
    (
        [],
        False,
        "irrelevant",
        "Anyone know a good plumber in {town}? Mine is useless and never answers",
    ),
    (
        [],
        False,
        "irrelevant",
        "{other_school} have got their nativity on the same night as ours again, classic",
    ),
]

SUBSTITUTES = {
    "threat": "threat",
}


def _fill(template: str, school: dict[str, object], rng: random.Random) -> str:
    pupils = school["pupils"]
    staff = school["staff"]
    assert isinstance(pupils, list) and isinstance(staff, list)
    pupil = rng.choice(pupils)
    member = rng.choice(staff)
    name = str(school["name"])
    aliases = [str(a) for a in school["aliases"]]  # type: ignore[attr-defined]
    school_name = rng.choice([name, *aliases, *aliases])
    staff_forms = [
        f"{member[0]} {member[2]}",
        f"{member[0]} {member[2]}",
        f"{member[1]} {member[2]}",
    ]
    if member[4]:
        staff_forms.append(member[4])
    pupil_forms = [f"{pupil[0]} {pupil[1]}", f"{pupil[0]} {pupil[1]}", f"{pupil[0]} {pupil[1][0]}."]
    if pupil[3]:
        pupil_forms.append(f"{pupil[3]} {pupil[1]}")
    place = name.split()[0] if not name.startswith("St ") else name.split()[1].rstrip("'s")
    values = {
        "school": school_name,
        "schooltag": school_name.replace(" ", "").replace("'", ""),
        "staff": rng.choice(staff_forms),
        "staff_surname": member[2],
        "pupil": rng.choice(pupil_forms),
        "pupil_first": pupil[0],
        "pupil_surname": pupil[1],
        "year": pupil[2] if pupil[2].isdigit() else "1",
        "town": school["location"],
        "place": place,
        "other_school": rng.choice(OTHER_SCHOOLS),
    }
    return template.format(**values)


def _bucket(template: str) -> str:
    digit = int(hashlib.sha256(template.encode()).hexdigest(), 16) % 5
    return {0: "test", 1: "dev"}.get(digit, "train")


def main() -> None:
    rng = random.Random(20261125)
    OUT.mkdir(parents=True, exist_ok=True)
    schools = {s["key"]: s for s in SCHOOLS}
    (OUT / "schools.json").write_text(json.dumps(SCHOOLS, indent=1) + "\n", encoding="utf-8")
    splits: dict[str, list[dict[str, object]]] = {"train": [], "dev": [], "test": []}
    seen_schools = [k for k in schools if k not in TEST_SCHOOLS]
    for number, (labels, relevant, kind, template) in enumerate(T + T_MORE):
        split = _bucket(template)
        if number >= len(T) and split == "test":
            split = "dev"  # the test split is kept as it was (see T_MORE)
        pool = sorted(TEST_SCHOOLS) if split == "test" else seen_schools
        copies = 4 if split == "train" else 3
        chosen = rng.sample(pool, k=min(copies, len(pool)))
        if split == "test":
            chosen = chosen + [rng.choice(pool)]
        texts: set[str] = set()
        for key in chosen:
            text = _fill(template, schools[key], rng)
            if text in texts:
                continue
            texts.add(text)
            own = kind == "own-child"
            splits[split].append(
                {"id": f"{split}-{len(splits[split]) + 1:04d}", "text": text, "school": key,
                 "labels": sorted(labels), "relevant": relevant, "kind": kind,
                 "template": number, "own_child": own}
            )  # fmt: skip
    for split, rows in splits.items():
        with (OUT / f"{split}.jsonl").open("w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(split, len(rows))


if __name__ == "__main__":
    main()

import json
OK=[]
IR=[]
BAD=[]
def ok(t): OK.append((t,[],True))
def ir(t): IR.append((t,[],False))
def bad(t,l): BAD.append((t,l.split(),True))
# ---------- appropriate ----------
for t in [
"Huge well done to everyone at St Aldhelm's for the harvest festival this morning, the kids smashed it 👏👏",
"Does anyone know if St A's is open tomorrow with the snow? Website hasn't updated yet",
"Reminder: Aldhelms PTA cake sale Friday after school, all donations welcome 🍰🧁",
"My son came home buzzing about the Year 4 trip to the Roman villa. Thank you to whoever organised it x",
"What time does pick up finish on Wednesdays at St Aldhelm's? New to Wexcombe",
"Proud mum moment, my daughter got star of the week at St Aldhelm's today 🌟🌟",
"Nativity tickets are on ParentMail now for anyone who missed the email",
"Anyone got a spare St Aldhelm's jumper age 7-8? Happy to pay, ours has vanished lol",
"the christmas fair was lush this year well done PTA 🎄",
"Ofsted rated St A's Good again, chuffed for the teachers they work so hard",
"Mr Hargreaves and the football team did brilliantly at the county tournament, thank you for giving up your Saturday ⚽",
"Year 6 absolutely KILLED it at the leavers assembly, not a dry eye in the hall 😭",
"Is the breakfast club at Aldhelms still £3.50 a day or has it gone up?",
"My son has struggled with reading all year and he's finally clicked. Whatever they're doing in Year 2 is working",
"Just a heads up the car park on Church Lane is closed Thursday for the school fete setup",
"Can anyone recommend a tutor for 11+? Daughter is in year 5 at St Aldhelm's",
"Thank you Mrs Penhaligon for all the support with my son's EHCP application, honestly couldn't have done it without you ❤️",
"lost: one navy book bag with a dinosaur keyring, St A's reception class. probably in someone's car 😂",
"Sports day is Tues 9th July weather permitting, bring suncream and a hat for the little ones",
"The new reading scheme at St Aldhelm's seems good, my two are both enjoying the books so far",
"Anyone know what the PE days are for Year 3 this term?",
"Well done to the choir who sang at Wexcombe Abbey last night, the little ones murdered that last song in the best way 🎶",
"Shoutout to Mr Pratt the caretaker who found my son's coat AND his water bottle. Legend",
"Has the letter about the residential to Kilve Court gone out yet? Not had ours",
"#StAldhelms world book day costumes were unreal this year 📚🦸",
"Applying for reception places, has anyone got experience of St Aldhelm's vs the academy? Genuinely curious, both seem nice",
"Not sure how I feel about the new later start time tbh, will see how it goes after half term",
"Happy retirement to Mrs Lowe after 22 years of dinner duty at Aldhelms 💐 you'll be missed",
"My daughter is really anxious about starting year 3, any tips from parents who've been through the move upstairs?",
"PTA meeting Thurs 7pm in the school hall, everyone welcome, we need new blood for the summer fair!",
"Congrats to Miss Mbeki on getting married over the summer 💍",
"Our lad came home with a certificate for 100% attendance, he was so proud bless him",
"Remember it's non uniform Friday for Children in Need, £1 donation",
"Road outside St A's is a nightmare at 3.15, if you can walk please do, it's safer for everyone",
"Anyone doing a car share to the swimming gala on Saturday? Can take 2 kids",
"Really nice touch that the school sent round the photos from the Christmas play, thanks office team",
"Found a purple Frozen lunchbox outside the Aldhelms gate, handed it in to reception",
"My kids' school (St Aldhelm's) is fundraising for a new library, link in bio if anyone wants to donate 📖",
"The year 5s did a brilliant job on the Wexcombe in Bloom planters outside the co-op 🌻",
"Just want to say the parents' evening system was so much smoother this year. 5 mins each but they knew my son really well",
"Any Aldhelms parents fancy a coffee morning after drop off Friday? Cafe on the high street",
"Do they do flu spray at St A's this year or do we go to the GP?",
"Our daughter has settled in lovely at St Aldhelm's after moving from Bristol, really welcoming school 😊",
"hahaha my son told me the class hamster 'went on holiday' over half term. nice try teachers 🐹",
"The new climbing frame is finally up!! Kids are going to go wild",
"Does anyone know if Year 6 SATs results come out in July? First time doing this",
"I'll be honest I wasn't keen on the uniform change but the new jumpers wash much better",
"Thank you Mr Qureshi for coming in to cheer the kids at the cross country, they loved it",
"Church service for St Aldhelm's end of term is 2pm Friday at St Mary's, families welcome",
"Is anyone else's kid obsessed with the times tables rockstars thing? Mine is battling me every night 😂",
"Quick q - is the school office open during half term for uniform orders?",
"Just signed up for the Aldhelms fun run, who's joining team mums? 🏃‍♀️",
"Massive thanks to the school for the food bank collection, we filled 40 crates",
"My son has ADHD and I was worried about transition but the plan they've put together looks really thoughtful",
"Anyone know if the after school drama club has spaces? St A's",
"Eco council got a green flag award!! Well done St Aldhelm's 🌍",
"Aldhelms kids DESTROYED the quiz at the Wexcombe schools challenge, first place 🏆",
"Lovely to see the Reception kids walking to the library in their hi-vis, cutest thing ever",
"If anyone has old Lego they don't want the school is asking for donations for the STEM club",
"Mrs Garside's assembly on kindness was shared with us on the newsletter, really lovely message",
"PSA: St A's school photos order deadline is Monday",
"Just a question, not a complaint - how do you get in touch with the class teacher? Email or note in the book bag?",
"I think phones being banned in primary makes sense to be fair, mine's only 9",
"Had a good chat with the SENCO today, feeling a lot more positive about next year",
"Year 6 bake off results are in and my daughter came third with her lemon drizzle 🍋 she's fuming she didn't win lol",
"Can parents volunteer for reading at St Aldhelm's? I'm off on Tuesdays",
"Any recommendations for a cheap school shoe that survives a term of Aldhelms playground football?",
"Swimming lessons start next week for y4, remember costume, towel and a hat",
"The school newsletter says they're looking for a new parent governor if anyone's interested",
"Ours both had nits again 🙄 just a reminder to check your kids everyone, it's doing the rounds in KS1",
"Loved the Diwali celebration the school put on, my kids learned so much 🪔",
"The Eid assembly at St Aldhelm's was beautiful, thank you for including everyone",
"Wexcombe Cubs are recruiting, lots of St A's kids already go if yours are interested",
"My son's teacher emailed me back within an hour about his worries, really appreciated",
"So the kids were meant to build a volcano for homework and my kitchen now looks like a crime scene 🌋😂",
"Does anyone know if the school is collecting for the Remembrance poppies this year?",
"Sad to see Miss Adebayo leaving at Easter, she's been brilliant with year 6. Good luck in the new job!",
"Got the end of year report today, really detailed and fair. Nice to see they actually know my kid",
"RT @WexcombeNews: St Aldhelm's CofE Primary celebrates 150 years with a community open day this Saturday",
"@StAldhelmsPTA what time does the disco finish? Need to plan pick up",
"Anyone's kid in Mr Qureshi's class doing the Egypt project? Need to know how big the pyramid is meant to be lol",
"My daughter has been a bit left out at playtime lately, going to have a chat with her teacher this week. Anyone else found the buddy bench helps?",
"Not gonna lie the school dinners look better than what I cook 😂 roast on a Thursday!",
"The head's letter about the roof repair was clear, glad they're getting it sorted over summer",
"Uniform swap shop is on in the hall after school Weds, all sizes, free",
"Any tips for getting a 5 year old to actually do their phonics homework without a meltdown? Asking for me",
"Saw the Aldhelms float at the carnival, absolutely brilliant, who made the giant bee??",
"r/Somerset anyone with experience of St Aldhelm's for a kid with dyslexia? Looking at schools for September",
"Reply to above: we've had a good experience with SEN at St A's, they were patient with my son, but every kid is different",
"Our class rep has set up a WhatsApp for year 2, message me if you want adding",
"Honestly the best thing about St Aldhelm's is the forest school, my son comes home filthy and happy every week 🌲",
"Do we have to pay for the panto trip or is it covered by the PTA?",
"The kids' art is up in Wexcombe library this month, go have a look it's fab 🎨",
"Drop off was chaos this morning cos of the bin lorry on Church Lane lol nobody's fault",
"Could anyone lend me a size 4 kit for the football match Saturday? Son's has a hole in it",
]: ok(t)
# ---------- not about this school ----------
for t in [
"Roadworks on St Aldhelm's Road again, three weeks of temporary lights. Who do I complain to at the council?",
"The Aldhelm Arms quiz night was rigged I swear, same team wins every week 🍺",
"St Aldhelm's Rovers U12s lost 5-0 on Sunday, ref was a joke",
"Wexcombe Academy have cancelled the year 9 trip AGAIN, absolutely useless school",
"Anyone know a good plumber in Wexcombe? Boiler's packed in",
"Bins on Aldhelm Way not collected for 2 weeks, council are a shambles",
"St Aldhelm's church in Malmesbury is stunning if you're into history, worth a visit",
"Parking on the high street is a joke now they've put the prices up",
"Lost cat in Wexcombe, ginger tom called Biscuit, please share 🐱",
"The head at Combe Hill Secondary needs sacking, my nephew's been bullied for months and they've done nothing",
"Who's going to Wexcombe carnival this year? Need to know if the fireworks are back",
"New Greggs opening in Wexcombe next month, finally 🙌",
"Anyone else's broadband down in Wexcombe? Been off since 6",
"My cousin's kid at a school in Taunton got suspended for having a vape in year 8. Kids today 😬",
"Wexcombe Town FC need a new manager, the current one is a clown 🤡",
]: ir(t)
# ---------- inappropriate ----------
B_=bad
# pupil (naming / identifiable comments)
B_("Well done Amara Okafor for winning the Wexcombe young writers prize!! so proud of you sweetheart 🌟 (from her auntie)", "pupil")
B_("Harvey Pickering from year 6 pushed my son off the climbing frame AGAIN. That kid is feral and his parents don't care", "pupil bullying offensive complaint")
B_("Happy birthday JJ Brooks from all of us at number 12, the best footballer in year 5 at St A's ⚽🎂", "pupil")
B_("Just saying, the ginger lad in year 6 at Aldhelms is the one nicking phones out of coats. Everyone knows it", "pupil allegation bullying")
B_("that Dunny kid is a proper little thug, surprised he's not been expelled yet", "pupil bullying offensive")
B_("Lily-Mae Foster's mum needs to stop sending her in with nits every week, it's disgusting 🤢", "pupil bullying offensive")
B_("TJ Hulme has been making my daughter's life hell and the school do NOTHING", "pupil complaint allegation")
B_("Little Ruby in reception at St Aldhelm's with the hearing aids was so brave in the nativity 🥰", "pupil")
B_("The fat kid in year 5 at aldhelms eats everyone's crisps at lunch, someone should put him on a diet lol", "pupil bullying offensive")
B_("Evie Shaw is the smartest girl in year 6 and she should have got the lead in the play not the headteachers favourite", "pupil allegation complaint")
B_("Mo Rahman and Kas Wisniewski got caught fighting at the gate today 👀 anyone got the video", "pupil bullying")
B_("Ozzy Lindqvist in year 3 is an absolute menace, bit my kid, someone tell his mum", "pupil offensive complaint")
B_("Beth Coles and her little gang are the mean girls of year 6, they've made three kids cry this week. Name and shame", "pupil bullying offensive")
B_("Shout out to Priya Chauhan for raising £200 for the hospice with her bake sale ❤️", "pupil")
B_("Zosia in Mr Qureshi's class can barely speak English and she's holding the whole class back", "pupil offensive racist complaint")
B_("The boy with the autism in year 4 keeps kicking off and my kid's learning suffers. Why is he even in a mainstream school", "pupil offensive complaint")
B_("Aisha Bello's dad is never on time for pick up, poor kid sat in the office till 4 again. Some people shouldn't have kids", "pupil bullying offensive")
B_("harv pickering n alf dunmore think theyre hard 😂😂 wait til they get to secondary", "pupil bullying threat")
B_("The twins in reception, you know the ones, their mum was off her face at the fete. Social services should be looking at that family", "pupil allegation bullying")
B_("Amara was ROBBED at the spelling bee, the judge clearly favoured the deputy's mate's kid", "pupil allegation complaint")
# allegation
B_("Everyone knows the head at St Aldhelm's covered up what happened on the year 6 residential. Ask the parents who got the letter", "allegation complaint")
B_("Mr Hargreaves grabbed my son by the arm and dragged him off the pitch. There were bruises. This is assault", "allegation complaint")
B_("The PTA money from the summer fair has 'disappeared', funny how the treasurer's got a new car 🚗🤔", "allegation")
B_("Heard the caretaker turns up stinking of booze most mornings. Great, that's who's around our kids", "allegation offensive")
B_("Miss Adebayo only gives the good parts to kids whose parents are on the PTA. Total favouritism", "allegation complaint")
B_("Mrs G fiddles the attendance figures before Ofsted, staff have told me", "allegation")
B_("the deputy head was seen in the Aldhelm Arms at lunchtime on a school day, back in class after 3 pints", "allegation offensive")
B_("Aldhelms are taking the pupil premium money and spending it on the head's office refurb. Disgusting", "allegation complaint")
B_("That receptionist reads everyone's confidential letters and gossips about them in the co-op. Don't tell the office anything", "allegation offensive complaint")
B_("Someone at St A's is lying about the bullying figures. My daughter reported it 6 times and the school says 'no incidents'", "allegation complaint")
B_("The governors are all mates of the vicar and just rubber stamp whatever Mrs Garside wants. Corrupt little club", "allegation offensive complaint")
B_("Rumour is the SENCO is faking the EHCP paperwork so the school keeps the funding 👀", "allegation")
B_("mr q hit a kid with a ruler last week apparently and they've hushed it up", "allegation")
B_("They only let the church-going families in, the admissions are totally fixed at St Aldhelm's", "allegation complaint")
B_("The dinner lady is feeding the kids out of date yoghurts, my son was sick all night. They know and don't care", "allegation complaint")
# complaint
B_("St Aldhelm's homework is RIDICULOUS. 3 hours of project work for a 7 year old, do they think we have no lives??", "complaint")
B_("Been waiting 5 weeks for the SENCO to get back to me about my son's support plan. Absolute joke of a school", "complaint")
B_("Aldhelms school dinners are cold, tiny portions and my kid comes home starving. £2.60 for that?", "complaint")
B_("So the school sent my daughter home because her shoes had a tiny white logo. Uniform police at St A's strike again 🙄", "complaint")
B_("Confiscated my son's phone for a WEEK. It's my property not theirs, no right at all. #StAldhelms", "complaint")
B_("Communication from this school is shocking. Found out about the trip the day before via a crumpled letter in the bottom of a bag", "complaint")
B_("Another 'INSET day' at St Aldhelm's. Do these teachers ever actually work? Some of us have jobs", "complaint offensive")
B_("My lad got a fixed-term exclusion for something the other kid started. The head didn't even listen to our side. Disgraceful", "complaint")
B_("Why does Aldhelms need £30 for a 'voluntary contribution' to a trip to a farm 4 miles away??", "complaint")
B_("Parents evening was a waste of time, Mr Okoro clearly hadn't even looked at my daughter's books", "complaint")
B_("The school office never answers the phone. Rang 11 times today. ELEVEN.", "complaint")
B_("St A's has gone downhill since the new head took over, used to be a lovely school", "complaint")
B_("Genuinely thinking of moving my kids. The SEN provision at St Aldhelm's is non-existent, they just stick them in the corridor with a TA", "complaint")
B_("No rain coats allowed in class but they're making kids stand outside at drop off in the pouring rain. make it make sense", "complaint")
B_("Year 4 teacher sets spellings nobody can read because his handwriting is awful. cant make it up", "complaint offensive")
B_("Is it just me or is the new behaviour policy at St A's absolutely draconian? Kids can't even talk in the line", "complaint")
# offensive
B_("Mrs Garside is a jumped up little hitler who loves the sound of her own voice", "offensive")
B_("the PE teacher is a complete meathead, wouldn't trust him to count to 10", "offensive")
B_("Miss Mbeki looks about 12, how is she qualified to teach anyone anything lol", "offensive")
B_("That receptionist at Aldhelms has a face like a slapped arse every single morning", "offensive")
B_("Mr O is useless. Useless useless useless. Should never have been made deputy", "offensive complaint")
B_("The SENCO is a patronising cow who thinks parents are thick", "offensive")
B_("gaz the caretaker is a creep tbh, always hanging round the gate staring", "offensive allegation")
B_("Honestly the teachers at that school are thick as sh!t", "offensive")
B_("the head is a total c*w and everyone knows it", "offensive")
B_("Janet the dinner lady is a miserable old witch, kids are terrified of her", "offensive")
B_("Oh fabulous, another 'wellbeing' email from Mrs G. Maybe look after our kids' wellbeing instead of writing essays, you muppet", "offensive complaint")
B_("Tyler-Jay's mum is a total skank, no wonder the kid's like that", "offensive bullying pupil")
# bullying (parents / staff harassment)
B_("Everyone screenshot this. This is the mum who reported my son. Let's make sure the whole of Wexcombe knows what a grass she is 📸", "bullying")
B_("@LindaSewell1 we know where you park 😉 maybe be nicer on the phone next time", "bullying threat offensive")
B_("Made a group chat to keep tabs on what Miss Adebayo posts on her insta. She's not getting away with it", "bullying")
B_("Keep tagging @MrsGarsideHead until she answers us. Every post. Every day. Till she quits", "bullying")
B_("Anyone got the home address of the Year 5 teacher? Asking for a friend 👀", "bullying threat")
B_("Posted Mr Hargreaves' dating profile in the parents group 😂😂 absolute state of it", "bullying offensive")
B_("That woman from the PTA with the pink car thinks she runs the playground. Time someone took her down a peg, ladies you know what to do", "bullying offensive")
B_("The Pickering family are scum. Don't invite their kid to parties, don't let your kids play with him. Freeze them out", "pupil bullying offensive")
B_("Made a meme of the deputy head as a clown, it's getting passed round all of year 5 🤡😂", "bullying offensive")
B_("Make sure you all leave 1 star reviews on the school's google page until they sack Mr Q", "bullying complaint")
B_("the new mum in year 2 who complained about the noise at the gate, we see you. Better watch what you say 🙂", "bullying threat")
B_("Whoever the parent is that reported me to the school, I'll find out and you'll be sorry. Wexcombe is a small town", "bullying threat")
B_("Sharing the voice note of Mrs Penhaligon crying after our meeting. That's what you get 🤷‍♀️", "bullying")
# threats
B_("If that teacher touches my son again I swear to god I'll k1ll him", "threat")
B_("Someone needs to give the head a good slap and I'm happy to volunteer", "threat offensive")
B_("I'm going down that school tomorrow and if I see Mr Hargreaves he won't be walking out", "threat")
B_("Next time that kid hits my daughter I'll sort him out myself, and his dad", "pupil threat")
B_("Be a shame if something happened to the caretaker's van wouldn't it 🔥", "threat")
B_("If they exclude my boy one more time I won't be responsible for what happens in that office", "threat complaint")
B_("tell mrs G to watch her back at the fete. not joking", "threat")
B_("Honestly someone should burn that school to the ground 🔥🔥 would do everyone a favour", "threat offensive")
B_("The dinner lady shouted at my kid. If she does it again she'll be eating her dinner through a straw", "threat complaint")
B_("I'll be waiting at the gate at 3:15 for the year 5 teacher. Let's see how brave he is with a grown man", "threat")
B_("one more detention from that PE teacher and im bringing my brothers up the school, simple as", "threat")
B_("Any more of this and that smug deputy's getting glassed next time he's in the Aldhelm Arms", "threat offensive")
# racist
B_("Funny how since Mr Qureshi started there's been all this Eid stuff. This is a CHURCH school. They're taking over", "racist complaint")
B_("Half of reception don't speak English now, Aldhelms used to be for local kids", "racist complaint")
B_("Not being funny but Miss Adebayo only got the job to tick a diversity box", "racist offensive")
B_("Them lot from the new estate are ruining St A's. You know exactly who I mean", "racist")
B_("The Polish kids at St Aldhelm's need to go back where they came from, simple", "racist pupil")
B_("Mr Okoro should go back to Africa and teach there if he's so clever", "racist offensive")
B_("Can't get a school place in your own town cos they're all being given to immigrants. Aldhelms is a joke", "racist complaint")
B_("Kids came home saying the Nowak girl smells of cabbage lol typical", "racist pupil bullying")
B_("The teacher with the funny name can't even pronounce my son's name properly. Hire British teachers", "racist offensive complaint")
B_("The p@ki teacher in year 4 needs sacking", "racist offensive")
B_("Bet the Rahman kid's family are on benefits like all of them", "racist pupil offensive")
B_("Miss Mbeki and Miss Adebayo, St Aldhelm's is looking more like Lagos every year 🙄", "racist offensive")
B_("Those gypos that moved in by the river have their kids at Aldhelms now, lock up your bikes", "racist allegation")
B_("the n1gg@ kid in year 5 started it, not my son", "racist pupil")
B_("Nothing against them personally but 'certain cultures' just don't value education and it's dragging the school down", "racist")
B_("Deputy head only gets away with it cos nobody dares call out a black man these days", "racist offensive")
# more mixed to top up counts
B_("the receptionist Linda is a liar and a thief, took money from the uniform shop and they let her keep her job", "allegation offensive")
B_("Mrs Penhaligon refused to assess my son because she 'doesn't believe in dyslexia'. She's a danger to kids", "allegation complaint offensive")
B_("evie shaw's dad is a nonce, I'd keep your kids away from that house", "pupil allegation bullying")
B_("Kacper in year 4 has been stealing from the cloakroom, my daughter saw him", "pupil allegation")
B_("Mo Rahman's big brother waits outside the gate to intimidate the year 6s. The school knows and won't act", "pupil allegation complaint")
B_("Mrs G has been told about the bullying in year 6 at least 10 times and just ignores it because the bully's mum is a governor", "allegation complaint")
B_("St Aldhelm's covered up a safeguarding incident last year, the police were involved and parents were never told", "allegation")
B_("Ask the school how much the head's 'consultancy' earns on the side from academy trusts. Follow the money 💰", "allegation")
B_("Why is the PE teacher sending messages to year 6 girls on snapchat? Asking questions nobody wants to answer", "allegation")
B_("That weirdo caretaker should be nowhere near kids, just look at him", "offensive bullying")
B_("LOL @ the Year 6 teacher's singing at assembly. Cats being strangled. Resign", "offensive bullying")
B_("TJ and JJ in year 5 are thick as two short planks, no wonder the class averages are down 😂", "pupil offensive bullying")
B_("Lily-Mae's mum is on every parents page slagging the school off, someone should tell her to wind her neck in or we'll do it for her", "bullying threat pupil")
B_("If my daughter comes home crying because of that Coles girl one more time I'm going round there", "pupil threat")
B_("Year 6 SATs prep is a joke, Miss A is off every other week and they've had supply all term", "complaint")
B_("The uniform supplier St A's uses is a rip off, £22 for a jumper with a badge, the head's probably on commission", "complaint allegation")
B_("Mr Hargreaves picked the same 7 kids for every match, all sons of his squash mates. Disgusting favouritism", "allegation complaint")
B_("Put it this way, whoever teaches year 5 at aldhelms needs a slap and a new career", "threat offensive")
B_("Someone should follow the head home and see how she likes being harassed like she harasses us parents", "bullying threat")
B_("Goodness, the head really outdid herself with this week's newsletter, 4 pages and not one answer to any question we've asked. Bravo 👏👏", "complaint")
B_("Oh lovely, another week and still no reply from the SENCO. Top marks for consistency St A's ⭐", "complaint")
B_("'Outstanding pastoral care' my arse, my kid's been bullied for a year and the school's done zilch", "complaint")
B_("ozzy the little sh1t threw sand in my daughter's eyes at forest school. parents are just as bad", "pupil offensive complaint")
B_("If someone went round to the deputy's house with a bat I wouldn't be calling the police, just saying", "threat")
B_("The school let kids from the traveller site in without any checks, now look at the state of it", "racist complaint")
B_("Anyone else's kid been told by Mrs Lowe they're 'too fat for pudding'? She did it to mine in front of everyone", "allegation complaint")

recs=OK+IR+BAD
import random
random.seed(3)
random.shuffle(recs)
ALLOWED={"pupil","allegation","bullying","offensive","racist","threat","complaint"}
import os; os.chdir(os.path.dirname(os.path.abspath(__file__)))
with open("posts.jsonl","w") as f:
    for i,(t,l,r) in enumerate(recs,1):
        assert set(l)<=ALLOWED,(t,l)
        f.write(json.dumps({"id":f"d3-{i:03d}","text":t,"labels":l,"relevant":r},ensure_ascii=False)+"\n")
from collections import Counter
c=Counter(x for _,l,_ in recs for x in l)
print(len(OK),len(IR),len(BAD),len(recs),c)

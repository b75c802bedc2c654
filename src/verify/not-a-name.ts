/**
 * Capitalised words that are not people's names: sentence openers, pronouns,
 * calendar words, league and game vocabulary, places of the sport. A run of
 * capitalised words containing none of these, that no fact names, is read as a
 * person ("Michael Jordan") and reported as an unknown player.
 */
const WORDS = `
A An The This That These Those There Here It Its He She His Her Him They Their Them We Our Us You Your I Me My
And But Or So Yet Nor For Then Now Still Also Plus Even Only Just Meanwhile Later Earlier Finally Again
After Before While When Where Why How What Who Whose Which With Without Into From Through During Despite
Since Until At In On Of Off Over Under Up Down Out By To As If Not No Yes Oh Wow Ok Okay Well Hey Big Huge
Another Other Both Each Every All Any Some Many More Most Much Few One Two Three Four Five Six Seven Eight
Nine Ten First Second Third Fourth Fifth Last Next Final Full Half Late Early Clutch Vintage Classic Massive
Monster Monstrous Instant Breaking Update Updates Live Recap Highlights Watch Stat Stats Box Score Scores
Night Day Tonight Today Yesterday Tomorrow Week Weekend Season Postseason Preseason Playoff Playoffs
Game Games Series Finals Final Conference Semifinals Semis Round Championship Title Cup Trophy Division
East Eastern West Western North Northern South Southern Central Atlantic Pacific Midwest Southeast
Southwest Northwest NBA WNBA NFL MLB NHL NCAA ESPN MVP All-Star All-NBA Pro Bowl Super Bowl Team Teams
Coach Head Player Players Rookie Veteran Star Stars Starter Starters Bench Captain Quarterback QB Guard
Forward Center Centre Wing Kicker Receiver Defense Defence Offense Offence Quarter Quarters Period Inning
Overtime OT Halftime Half-time Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February
March April May June July August September October November December Mon Tue Wed Thu Fri Sat Sun Jan Feb
Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Arena Center Stadium Field Fieldhouse Garden Park Dome Coliseum
Forum Bowl City State County Street Avenue Square Home Road Away Win Wins Won Loss Losses Lost Beat Beats
Victory Defeat Lead Leads Led Run Runs Streak Record Points Rebounds Assists Yards Touchdown Touchdowns
TD TDs Sacks Sack Interception Interceptions Pick Picks Field Goal Goals Free Throw Throws Three Threes
Double Triple Double-Double Triple-Double Career Franchise History Historic Heck Hell God Lord Good Great
Bad Best Worst Top Bottom Hot Cold Fire Ice Ballgame Ball Buzzer Walk-off Walkoff Game-winner Dagger
Buckets Bucket Dunk Slam Block Steal Layup Jumper Floor Court Paint Line Arc Deep Range Mr Mrs Ms Dr St
Fans Fan Crowd Sellout Attendance Gameday Matchday Kickoff Tip-off Tipoff Sign Signs Per Via Per-game
`;

export const NOT_A_NAME: ReadonlySet<string> = new Set(WORDS.split(/\s+/).filter(Boolean));

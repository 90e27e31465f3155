using System.Text.RegularExpressions;
using EmpowerBot.Approvals;
using EmpowerBot.Budget;
using EmpowerBot.Insights;
using EmpowerBot.Obstacles;
using EmpowerBot.Policy;
using EmpowerBot.QuietTime;

namespace EmpowerBot.Conversation;

/// <summary>What the router made of a message: the command that takes it, and the text in that command's own words.</summary>
/// <param name="Normalized">Lower case, typos in command words corrected, lead-ins replaced by the command word.</param>
/// <param name="Text">The same, in the writer's case, handed to the command; null when nothing had to be rephrased.</param>
public sealed record Understood(ICommand? Command, string Normalized, string? Text);

/// <summary>
/// Reads a whole message the way reps write it and finds the command it is: corrects typos in command words,
/// turns lead-ins ("log an obstacle:", "shout out to", "I'd like to credit") into the command word, and puts a
/// credit written in any order ("ACME-31 gets $10 for the late order") into the "credit …" form the credit parser reads.
/// Deterministic and allocation-light: a handful of regular expressions per turn, no model.
/// </summary>
public sealed partial class Recognizer
{
    /// <summary>
    /// The routing table: commands are asked in this order, whatever order features registered them in. The corpus test
    /// checks that no two commands claim the same message, so the order only matters for text nobody has written yet.
    /// </summary>
    public static readonly IReadOnlyList<Type> Routing =
    [
        typeof(CreditCommand), typeof(AskCommand), typeof(LimitsCommand), typeof(PolicySaveCommand), typeof(OrgPolicyCommand), typeof(UndoCommand), typeof(BudgetCommand), typeof(HistoryCommand),
        typeof(StatusCommand), typeof(ApprovalsCommand), typeof(AwayCommand), typeof(MembershipCommand), typeof(BreakCommand), typeof(BreaksSettingCommand),
        typeof(BackCommand), typeof(TeamBreaksCommand), typeof(TriageCommand), typeof(ObstacleCommand),
        typeof(ObstaclesCommand), typeof(KudosCommand), typeof(TeamCommand), typeof(OrgCommand), typeof(ExportCommand), typeof(SmallTalkCommand), typeof(HelpCommand),
    ];

    private readonly IReadOnlyList<ICommand> commands;

    public Recognizer(IEnumerable<ICommand> commands)
    {
        var all = commands.ToList();
        this.commands = all.OrderBy(c => Rank(c.GetType())).ThenBy(all.IndexOf).ToList();
    }

    public IReadOnlyList<ICommand> Commands => commands;

    private static int Rank(Type type) => Routing.ToList().IndexOf(type) is var i and >= 0 ? i : Routing.Count;

    public Understood Understand(string? text)
    {
        var normalized = CommandText.Normalize(text);
        var clean = CommandText.Clean(text);
        // A lone "?" asks what the bot can do: the help command's, which knows it by that mark.
        if (normalized.Length == 0)
            return new(clean.Length > 0 && clean.Trim('?', '？').Length == 0 ? commands.FirstOrDefault(c => c.Recognizes("?")) : null, "", null);
        // A question mark anywhere makes it a question ("give ACME-9 $40?!", "$40 to ACME-9? for the wait"): when in doubt, ask.
        var sentence = Sentence.Of(normalized, clean, clean.AsSpan().IndexOfAny('?', '？', '¿') >= 0);
        var rephrased = sentence.Corrected().Rephrased();
        var command = commands.FirstOrDefault(c => c.Recognizes(rephrased.Lower));
        // "help me", "back :)", "cancel the last credit please": the same command with the words around it left off.
        if (command is null && sentence.Trimmed() is { } trimmed)
        {
            var again = trimmed.Corrected().Rephrased();
            if (commands.FirstOrDefault(c => c.Recognizes(again.Lower)) is { } found) (command, rephrased) = (found, again);
        }
        // Last, what no command word starts: "what if we had…" is an idea and "the CRM keeps timing out" an obstacle, kept whole.
        if (command is null && sentence.Spoken() is { } spoken && commands.FirstOrDefault(c => c.Recognizes(spoken.Lower)) is { } heard)
            (command, rephrased) = (heard, spoken);
        // Then a question or a short request about one of the things the bot shows ("any word from Megan?", "credits I
        // gave out?"): the view it names. Only views that read, never one that writes, and never with an amount in it.
        if (command is null && Topic(sentence) is { } topic && commands.FirstOrDefault(c => c.Recognizes(topic)) is { } shown)
            return new(shown, topic, null);
        var changed = rephrased.Lower != normalized;
        return new(command, rephrased.Lower, changed ? rephrased.Cased : null);
    }

    /// <summary>The read-only views a question can name by a word of theirs, in the order they are tried.</summary>
    private static readonly (string Command, HashSet<string> Words)[] Topics =
    [
        ("status", ["request", "requests", "approval", "approved", "answered", "exception", "exceptions", "decided", "pending", "responded", "replied", "approve", "decision", "okayed"]),
        ("limits", ["rules", "rule", "policy", "limit", "limits", "max", "maximum", "allowed"]),
        ("history", ["history", "gave", "given", "credited", "refunded", "credits", "refunds"]),
        ("budget", ["budget", "balance", "spend", "spent", "left", "remaining", "allowance", "discretionary", "room", "used"]),
        ("obstacles", ["obstacles", "ideas", "board", "blockers", "blocked", "blocking", "problems", "issues"]),
        ("help", ["help", "commands", "command", "features"]),
    ];

    private static readonly HashSet<string> Asking =
        ["what", "what's", "whats", "how", "any", "anything", "where", "when", "which", "who", "is", "are", "did", "has", "have", "do", "does", "can",
         "could", "show", "list", "check", "tell", "see", "view", "pull", "give", "my"];

    /// <summary>The command word of the view a question names, or null: only for a question or a request of a few words, with no figures.</summary>
    private static string? Topic(Sentence sentence)
    {
        var words = sentence.Lower.Select(w => w.Trim(',', '.', '!', '?', ':', ';')).Where(w => w.Length > 0).ToArray();
        // A currency sign on its own ("$ left?") names no figure.
        if (words.Length is 0 or > 10 || words.Any(w => w.Any(char.IsAsciiDigit) || (w.Length > 1 && w.IndexOfAny(['$', '€', '£', '#']) >= 0))) return null;
        if (!sentence.Question && !Asking.Contains(words[0]) && words.Length > 3) return null;
        // "should customers get credits for late deliveries?" asks about customers in general, not the rep's own credits.
        var aboutCustomers = words.Any(w => w is "customers" or "customer" or "people" or "they");
        foreach (var (command, topicWords) in Topics)
            if (!(aboutCustomers && command == "history") && words.Any(topicWords.Contains)) return command;
        // "anything back from my manager?": about the people who decide, when nothing more precise was named.
        // "did Megan say yes?": a yes or no from someone is a decision.
        return words.Any(w => w is "manager" or "boss" or "lead" or "supervisor") || (words.Length >= 3 && words.Any(w => w is "say" or "said") && words.Any(w => w is "yes" or "no"))
            ? "status" : null;
    }

    /// <summary>Words that open or close a message without changing what it asks: "hey", "please", "thanks", ":)".</summary>
    private static readonly HashSet<string> OpeningFillers = ["hey", "hi", "ok", "okay", "so", "um", "uh", "umm", "please", "pls", "plz", "just", "and", "oh", "right", "alright", "yo", "sorry"];

    private static readonly HashSet<string> ClosingFillers = ["please", "pls", "plz", "thanks", "thx", "ty", "now", "me", "again", "mate", "then", "quickly", "asap"];

    /// <summary>The words of a message, lower-cased and as written, side by side.</summary>
    private sealed record Sentence(string[] Lower, string[] Cased, bool Question)
    {
        public static Sentence Of(string normalized, string clean, bool question)
        {
            var lower = normalized.Split(' ');
            var cased = clean.Split(' ');
            // Normalising drops trailing punctuation, so the written words are cut to the normalised ones.
            if (cased.Length != lower.Length && cased.Length < lower.Length) cased = lower;
            cased = cased.Take(lower.Length).Select((w, i) => w.Length >= lower[i].Length ? w[..lower[i].Length] : lower[i]).ToArray();
            return new(lower, cased, question);
        }

        public string LowerText => string.Join(' ', Lower);

        /// <summary>The sentence without its opening and closing fillers and emoji, or null when none were there to leave off.</summary>
        public Sentence? Trimmed()
        {
            static string Bare(string w) => w.Trim(',', '.', '!', ';', ':');
            static bool Noise(string w) => !w.Any(char.IsLetterOrDigit);
            var start = 0;
            var end = Lower.Length;
            while (start < end && (Noise(Lower[start]) || OpeningFillers.Contains(Bare(Lower[start])))) start++;
            while (end > start)
            {
                if (Noise(Lower[end - 1]) || ClosingFillers.Contains(Bare(Lower[end - 1]))) end--;
                else if (end - start >= 2 && Bare(Lower[end - 2]) == "thank" && Bare(Lower[end - 1]) == "you") end -= 2;
                else break;
            }
            if (start == 0 && end == Lower.Length || start >= end) return null;
            var lower = Lower[start..end];
            lower[^1] = lower[^1].TrimEnd(',', '.', '!', ';', ':');
            return new(lower, Cased[start..end].Select((w, i) => i == end - start - 1 ? w[..Math.Min(w.Length, lower[^1].Length)] : w).ToArray(), Question);
        }

        public string CasedText => string.Join(' ', Cased);

        /// <summary>Corrects every word of a message without figures; only the first of one with figures (a credit's reason stays as written).</summary>
        public Sentence Corrected()
        {
            var all = !Lower.Any(w => w.Any(char.IsAsciiDigit));
            var lower = (string[])Lower.Clone();
            var cased = (string[])Cased.Clone();
            for (var i = 0; i < lower.Length && (all || i == 0); i++)
            {
                // "idae:" is "idea:": the punctuation after a word stays where it was.
                var bare = lower[i].TrimEnd(':', ',', '-', '!', '.');
                var fixedWord = CommandWords.Correct(bare);
                if (fixedWord == bare) continue;
                lower[i] = fixedWord + lower[i][bare.Length..];
                cased[i] = lower[i];
            }
            return new(lower, cased, Question);
        }

        public (string Lower, string Cased) Rephrased()
        {
            var text = LowerText;
            foreach (var (pattern, command) in LeadIns)
            {
                var m = pattern.Match(text);
                if (!m.Success) continue;
                var taken = m.Value.Length == 0 ? 0 : m.Value.TrimEnd().Split(' ').Length;
                return Join(command, taken);
            }
            // A question about a credit is asked before anything could read it as one: a question never moves money.
            if (CreditQuestion.Read(Lower, Question) is { } asked) return Join(asked.Head, 0, asked.Drop);
            return CreditSentence.Reorder(Lower, Question) is { } drop ? Join("credit", 0, drop) : (text, CasedText);
        }

        /// <summary>An idea or an obstacle said in the writer's own words, with its command word in front; null when it is neither.</summary>
        public (string Lower, string Cased)? Spoken()
        {
            var text = LowerText;
            if (IdeaSentence().IsMatch(text)) return Join("idea:", 0);
            if (ComplaintSentence().IsMatch(text)) return Join("obstacle:", 0);
            return null;
        }

        private (string, string) Join(string head, int taken, IReadOnlySet<int>? drop = null)
        {
            var kept = Enumerable.Range(taken, Lower.Length - taken).Where(i => drop is null || !drop.Contains(i)).ToList();
            var lower = string.Join(' ', kept.Select(i => Lower[i]).Prepend(head));
            var cased = string.Join(' ', kept.Select(i => Cased[i]).Prepend(head));
            return (lower, cased);
        }
    }

    /// <summary>Ways of starting a message that mean a command word, most specific first.</summary>
    private static readonly (Regex Pattern, string Command)[] LeadIns =
    [
        (ObstacleLeadIn(), "obstacle:"),
        (IdeaLeadIn(), "idea:"),
        (KudosLeadIn(), "kudos"),
        (UndoLeadIn(), "undo"),
    ];

    [GeneratedRegex(@"^(?:(?:please|pls|can you|could you|i want to|i need to|i'd like to|id like to|i would like to) )?(?:log|report|raise|file|add|flag|record|submit|open)(?: an?| the| new| another)* (?:obstacle|problem|issue|blocker)(?: for me)?(?: ?[:,\-–—])?(?= |$)|^(?:problem|issue|blocker)(?: ?[:\-–—])(?= |$)")]
    private static partial Regex ObstacleLeadIn();

    [GeneratedRegex(@"^(?:(?:suggestion|proposal|idea for you|here's an idea|heres an idea|i have an idea|i've got an idea|ive got an idea)(?: ?[:,\-–—])?|(?:log|add|submit|share|record) (?:an |a |my )?(?:idea|suggestion)(?: ?[:,\-–—])?|i suggest)(?= |$)")]
    private static partial Regex IdeaLeadIn();

    /// <summary>"what if we had…", "we should…", "it would be great if…": an idea in the writer's own words, kept whole.</summary>
    [GeneratedRegex(@"^(?!.*[$€£]\d)(?=(?:what if (?:we|there|i|reps)|(?:i )?wish (?:we|there was|there were|reps|i could)|it would help if|would be (?:great|nice|good) (?:to|if)|we should|we could really use|it would be (?:great|nice|good|helpful|useful|easier) if|it'd be (?:great|nice|good|helpful) if|wouldn'?t it be (?:great|nice|good) if|why don'?t we|can we (?:get|have) an? (?:option|way|button|template|macro|shortcut)) )")]
    private static partial Regex IdeaSentence();

    /// <summary>"the returns form keeps timing out", "the CRM is down again": an obstacle said the way people say it, kept whole.</summary>
    [GeneratedRegex(@"^(?!.*[$€£#]\d)(?!(?:i|i'm|im|you|he|she|they|customer|the customer|a customer|my customer)\b)(?=(?:the |our |my |this )?[a-z][a-z0-9' -]{1,40}? (?:keeps (?:on )?[a-z]+ing|(?:is|are|was) (?:down|broken|not working|still broken|still down|so slow|too slow|really slow|unusable)|(?:isn'?t|aren'?t|doesn'?t|don'?t|won'?t|wont|never) (?:work|working|load|loading|save|saving|open|update|sync)|(?:times|timed) out|crashes|crashed|froze|freezes)\b)")]
    private static partial Regex ComplaintSentence();

    [GeneratedRegex(@"^(?:(?:a )?(?:big )?(?:shout ?-?outs?|props|big ups|kudos ?[:,\-–—])|(?:big |many |huge |special )?(?:thanks|thank you|cheers|hats off)(?= to (?!(?:you|u|everyone|all|the bot|empowerbot|god)\b)[a-z]))(?= |$)|^(?:thanks|thank you|thx|ty)(?= (?!(?:you|u|so|a|again|everyone|all|bot|mate|man|guys|team|very|much|heaps|loads|lots|for|to|in|anyway|tho|though|both|y'all|yall|everybody|folks)\b)[a-z][a-z'-]* for \S)")]
    private static partial Regex KudosLeadIn();

    [GeneratedRegex(@"^(?:(?:oops|whoops|please|pls|sorry|(?:i )?(?:made a mistake|messed up|screwed up|got (?:it|that) wrong|typed (?:it|that) wrong)|wrong (?:customer|amount|one|person|reference))[,.;!:-]* |(?:can|could) (?:i|you) |i (?:want|need) to )*(?:undo|cancel|reverse|revert|void|take back|pull back|scrap|delete|remove)(?: the| that| my| last| one| it| a)*(?: credit| refund)?(?= c-[a-z0-9]{4}$|$)")]
    private static partial Regex UndoLeadIn();
}

namespace EmpowerBot.Conversation;

/// <summary>"thanks", "cheers", "hey there": a short friendly answer with one hint, never the whole help card.</summary>
public sealed class SmallTalkCommand : ICommand
{
    private static readonly HashSet<string> Thanks =
    [
        "thanks", "thank you", "thanks a lot", "thank you so much", "thx", "ty", "cheers", "much appreciated", "appreciate it",
        "great thanks", "ok thanks", "okay thanks", "thanks mate", "nice one", "cheers mate", "legend", "ta", "ta mate",
    ];

    private static readonly HashSet<string> Acknowledgements =
    [
        "cool", "ok", "okay", "k", "kk", "got it", "great", "nice", "awesome", "perfect", "sounds good", "sweet", "noted", "lol",
        "ok cool", "alright", "all good", "no worries", "fine", "haha", "hehe", "lmao", "great stuff", "good stuff", "brilliant", "cool beans", "excellent", "lovely", "super", "amazing",
        "fantastic", "wonderful", "neat", "you're great", "youre great", "you rock", "you're the best", "youre the best",
        "you're awesome", "good bot", "love it", "love this", "well done", "great job", "good job", "nice work",
    ];

    private static readonly HashSet<string> Greetings =
    [
        "hey there", "hi there", "hello there", "yo", "sup", "good morning", "morning", "good afternoon", "good evening",
        "how are you", "how's it going", "hows it going", "hiya", "howdy", "gm", "good day",
    ];

    private static readonly HashSet<string> Farewells =
    [
        "bye", "goodbye", "bye bye", "good night", "night", "see you", "see ya", "cya", "later", "see you later", "see you tomorrow",
        "have a good one", "have a good night", "have a good evening", "signing off", "logging off",
    ];

    /// <summary>Words small talk is made of: a short message of only these ("great, thanks", "ok cool thank you") is small talk.</summary>
    private static readonly HashSet<string> ThankWords = ["thanks", "thank", "thx", "ty", "cheers", "appreciated", "appreciate", "tysm", "thankyou"];

    private static readonly HashSet<string> GreetingWords = ["hey", "hi", "hello", "hiya", "howdy", "yo", "sup", "morning", "afternoon", "evening"];

    private static readonly HashSet<string> FillerWords =
    [
        "you", "so", "much", "a", "lot", "it", "mate", "legend", "very", "many", "again", "all", "there", "everyone", "team", "good",
        "great", "cool", "ok", "okay", "nice", "awesome", "perfect", "sweet", "brilliant", "excellent", "lovely", "super", "wonderful",
        "fantastic", "amazing", "haha", "lol", "yep", "yeah", "yes", "sure", "right", "alright", "got", "noted", "fine", "that's",
        "thats", "helps", "helped", "help", "for", "the", "one", "bot", "buddy", "friend", "oh", "ah", "wow", "kk", "k", "bunch", "heaps", "tons", "loads", "million",
    ];

    public CommandInfo Info { get; } = new("thanks", "thanks", "A friendly word back", "Getting started", InMenu: false);

    public bool Recognizes(string text) =>
        Thanks.Contains(text) || Acknowledgements.Contains(text) || Greetings.Contains(text) || Farewells.Contains(text) || Kind(text) is not null;

    private enum Talk { Thanks, Greeting, Acknowledgement }

    /// <summary>What a short message made only of small-talk words is, or null. A lone "hi" or "hello" is the help command's.</summary>
    private static Talk? Kind(string text)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => w.Trim(',', '.', '!', ';', ':', '-')).Where(w => w.Length > 0).ToArray();
        if (words.Length is < 2 or > 6) return null;
        if (!words.All(w => ThankWords.Contains(w) || GreetingWords.Contains(w) || FillerWords.Contains(w))) return null;
        if (words.Any(ThankWords.Contains)) return Talk.Thanks;
        return words.Any(GreetingWords.Contains) ? Talk.Greeting : Talk.Acknowledgement;
    }

    public Task<TurnResult> HandleAsync(TurnContext context, CancellationToken ct)
    {
        var text = CommandText.Normalize(context.Turn.Text);
        var name = context.Turn.FirstName;
        var kind = Kind(text);
        var answer = Thanks.Contains(text) || kind == Talk.Thanks
            ? $"You're welcome, {name}! Type **budget** any time to see what you have left."
            : Farewells.Contains(text)
                ? $"See you next time, {name}. Your budget and history are here whenever you need them."
            : Greetings.Contains(text) || kind == Talk.Greeting
                ? $"Hi {name}! When a customer needs a fix, just tell me, like **credit $10 to ACME-1042 for late delivery**."
                : "👍 I'm here when you need me — **help** shows everything I can do.";
        return Task.FromResult(TurnResult.Of(Reply.Say(answer)));
    }
}

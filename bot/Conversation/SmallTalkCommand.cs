namespace EmpowerBot.Conversation;

/// <summary>"thanks", "cheers", "hey there": a short friendly answer with one hint, never the whole help card.</summary>
public sealed class SmallTalkCommand : ICommand
{
    private static readonly HashSet<string> Thanks =
    [
        "thanks", "thank you", "thanks a lot", "thank you so much", "thx", "ty", "cheers", "much appreciated", "appreciate it",
        "great thanks", "ok thanks", "okay thanks", "thanks mate", "nice one", "cheers mate", "legend",
    ];

    private static readonly HashSet<string> Acknowledgements =
    [
        "cool", "ok", "okay", "k", "kk", "got it", "great", "nice", "awesome", "perfect", "sounds good", "sweet", "noted", "lol",
        "ok cool", "alright", "all good", "no worries", "fine",
    ];

    private static readonly HashSet<string> Greetings =
    [
        "hey there", "hi there", "hello there", "yo", "sup", "good morning", "morning", "good afternoon", "good evening",
        "how are you", "how's it going", "hows it going", "hiya", "howdy",
    ];

    public CommandInfo Info { get; } = new("thanks", "thanks", "A friendly word back", "Getting started", InMenu: false);

    public bool Recognizes(string text) => Thanks.Contains(text) || Acknowledgements.Contains(text) || Greetings.Contains(text);

    public Task<TurnResult> HandleAsync(TurnContext context, CancellationToken ct)
    {
        var text = CommandText.Normalize(context.Turn.Text);
        var name = context.Turn.FirstName;
        var answer = Thanks.Contains(text)
            ? $"You're welcome, {name}! Type **budget** any time to see what you have left."
            : Greetings.Contains(text)
                ? $"Hi {name}! When a customer needs a fix, just tell me, like **credit $10 to ACME-1042 for late delivery**."
                : "👍 I'm here when you need me — **help** shows everything I can do.";
        return Task.FromResult(TurnResult.Of(Reply.Say(answer)));
    }
}

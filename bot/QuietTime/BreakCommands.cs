using System.Globalization;
using System.Text.RegularExpressions;
using EmpowerBot.Conversation;

namespace EmpowerBot.QuietTime;

/// <summary>"break", "break 15": a quiet break now, of the team's usual length or the one asked for (5–30 minutes).</summary>
public sealed partial class BreakCommand(Breaks breaks, Prompter prompter, PromptPolicies policies) : ICommand
{
    public CommandInfo Info { get; } = new("break", "break 15",
        $"A quiet break now ({BreakLength.Min}–{BreakLength.Max} minutes); I hold my non-urgent messages until it ends", "Quiet time");

    public bool Recognizes(string text) => Phrase().IsMatch(text) || Asked().IsMatch(text);

    /// <summary>"mind if I step away for a bit", "I need a breather", "brb coffee": asking for a break in other words (the team's usual length).</summary>
    [GeneratedRegex(@"^(?!.*\b(?:back|end|stop|over|finish|finished|done|stats|suggestions|prompts|team|obstacle|idea|kudos|credit|refund|budget|history)\b)(?!.*[$€£#])(?:.*\b(?:break|breather|step away|stepping away|step out|time out|timeout|pause|take five|take 5|brb|afk)\b.*|(?:taking|grabbing|grab|going for|going to|off to|heading to|having|take) (?:my |a |an |some )?(?:lunch|coffee|tea|snack|walk)\b.*|quick (?:5|10|15|five|ten|fifteen)|.*\b(?:need|want|take|taking|grab|grabbing|have|having|give me)(?: a| an)?(?: quick| short)? (?:five|ten|fifteen|5|10|15|few|couple(?: of)?)(?: minutes| mins| min)?)$")]
    private static partial Regex Asked();

    /// <summary>True for anything the quiet-time commands answer, so asking for a break never counts as working flat out.</summary>
    public static bool IsAboutBreaks(string text) =>
        Phrase().IsMatch(text) || Asked().IsMatch(text) || BreaksSettingCommand.Phrase().IsMatch(text) || BackCommand.Says(text);

    public async Task<TurnResult> HandleAsync(TurnContext context, CancellationToken ct)
    {
        var person = context.Person;
        if (person.Team is not { } team) return TurnResult.Of(Reply.Say(BreakAnswers.NoTeam));
        var asked = Phrase().Match(CommandText.Normalize(context.Turn.Text)).Groups["minutes"];
        var minutes = policies.For(team).BreakMinutes;
        if (asked.Success)
        {
            if (!int.TryParse(asked.Value, NumberStyles.None, CultureInfo.InvariantCulture, out minutes) || minutes is < BreakLength.Min or > BreakLength.Max)
                return TurnResult.Of(Reply.Say($"A quiet break lasts {BreakLength.Min} to {BreakLength.Max} minutes. Try **break 15**. Nothing was started."));
        }
        var (card, text) = await BreakAnswers.StartAsync(breaks, prompter, person, team, minutes, fromPrompt: false, ct);
        return TurnResult.Of(card is null ? Reply.Say(text) : new Reply(null, card));
    }

    [GeneratedRegex(@"^(?:take a |start a |start my |start |quiet |a )?(?:quiet )?(?:break|brake)(?: (?:for )?(?<minutes>\d{1,4})(?: ?(?:m|min|mins|minute|minutes))?)?$")]
    private static partial Regex Phrase();
}

/// <summary>"breaks off" / "breaks on": stop or restart the bot's break suggestions.</summary>
public sealed partial class BreaksSettingCommand(PersonStates states) : ICommand
{
    public CommandInfo Info { get; } = new("breaks off", "breaks off", "Stop my break suggestions (breaks on starts them again)", "Quiet time", InMenu: false);

    public bool Recognizes(string text) => Phrase().IsMatch(text);

    public async Task<TurnResult> HandleAsync(TurnContext context, CancellationToken ct)
    {
        var person = context.Person;
        var off = Phrase().Match(CommandText.Normalize(context.Turn.Text)).Groups["setting"].Value == "off";
        await states.UpdateAsync(person.TenantId, person.Key, s => off ? s.OptedOutNow() : s.OptedOut ? s with { OptedOut = false } : s, ct);
        return TurnResult.Of(Reply.Say(off
            ? "Break suggestions are off. I won't suggest breaks or keep track of how busy you are. You can still type **break** any time; **breaks on** turns suggestions back on."
            : "Break suggestions are on. When you've been working flat out, I'll suggest a short quiet break. Only you see them."));
    }

    [GeneratedRegex("^(?:breaks|break prompts|break suggestions|quiet time) (?<setting>on|off)$")]
    internal static partial Regex Phrase();
}

/// <summary>"back": ends the person's break early and frees their slot for a teammate.</summary>
public sealed partial class BackCommand(Breaks breaks, IAwayStatus away) : ICommand
{
    internal static readonly HashSet<string> Words = ["back", "i'm back", "im back", "i am back", "end break", "end my break", "stop break", "returned", "i have returned", "i've returned", "ive returned"];

    public CommandInfo Info { get; } = new("back", "back", "End your quiet break early", "Quiet time", InMenu: false);

    public bool Recognizes(string text) => Says(text);

    internal static bool Says(string text) => Words.Contains(text) || Asked().IsMatch(text);

    /// <summary>"ok I'm back now", "back from my break", "break's over".</summary>
    [GeneratedRegex(@"^(?:(?:ok|okay|right|alright|hi|hey),? )?(?:(?:i'm|im|i am) )?(?:back(?: now| again| at my desk| from (?:my |the |a )?(?:lunch |coffee |short |quick )?(?:break|lunch))?|(?:done with|finished) (?:my |the )?(?:lunch |coffee )?break|(?:my |the )?break(?:'s| is)? (?:over|done|finished)|end (?:my |the )?break(?: early| now)?|stop (?:my |the )?break)$")]
    private static partial Regex Asked();

    public async Task<TurnResult> HandleAsync(TurnContext context, CancellationToken ct)
    {
        var fromBreak = await breaks.EndEarlyAsync(context.Person, ct);
        // An approver back from being away gets their approval requests again from now on.
        if (await away.EndAsync(context.Person, ct))
            return TurnResult.Of(Reply.Say((fromBreak ? BreakAnswers.BackEarly + " " : "") + "Welcome back: new approval requests come to you again."));
        return TurnResult.Of(Reply.Say(fromBreak ? BreakAnswers.BackEarly : BreakAnswers.NotOnBreak));
    }
}

/// <summary>"team breaks": the manager's view, team totals for the last seven days only.</summary>
public sealed class TeamBreaksCommand(QuietTimeInsights insights, TimeProvider clock) : ICommand
{
    public CommandInfo Info { get; } = new("team breaks", "team breaks", "Your team's quiet-break totals for the last 7 days (never anyone's own breaks)", "Quiet time", ManagersOnly: true, InMenu: false);

    public bool Recognizes(string text) => text is "team breaks" or "team break stats" or "break stats";

    public async Task<TurnResult> HandleAsync(TurnContext context, CancellationToken ct)
    {
        var person = context.Person;
        if (!person.IsManager || person.Team is not { } team)
            return TurnResult.Of(Reply.Say("Team break totals are for managers. Nobody, managers included, can see your own breaks."));
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), team.TimeZone).DateTime);
        var figures = await insights.ForTeamAsync(person.TenantId, team, today.AddDays(-6), today, ct);
        return TurnResult.Of(Reply.Say(figures.Describe()));
    }
}

using System.Text.Json;
using EmpowerBot.Conversation.Cards;

namespace EmpowerBot.Conversation;

/// <summary>"help": every command the person may use, grouped by what it is for, straight from the command registry.</summary>
public sealed partial class HelpCommand(IServiceProvider services, Approvals.WaitingDecisions waiting) : ICommand
{
    public const string CreditExample = "**credit $10 to ACME-1042 for late delivery**";

    /// <summary>The fallback: the commands closest to what was typed, and always how to write a credit.</summary>
    public static string NotUnderstoodFor(string normalized, IEnumerable<ICommand> commands, bool manager)
    {
        var words = normalized.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var closest = commands
            .Select(c => c.Info)
            // "thanks" and "ask" are not words people type to mean them: a question is asked in its own words.
            .Where(i => (!i.ManagersOnly || manager) && i.Name is not ("thanks" or CreditQuestion.Head))
            .Select(i => (i.Name, Word: i.Name.Split(' ')[0]))
            // Closest means a typo away, by the same measure as command words: "life" is not a near miss for "idea".
            .Select(c => (c.Name, Distance: words.Select(w => CommandWords.Distance(w, c.Word, 2)).Min(), Allowed: Math.Max(1, CommandWords.Allowed(c.Word.Length))))
            .Where(c => c.Distance <= c.Allowed)
            .OrderBy(c => c.Distance)
            .Select(c => c.Name)
            .Distinct()
            .Take(2)
            .ToList();
        var suggestion = closest.Count == 0
            ? "Try **budget** to see what you have left this month."
            : $"Did you mean {string.Join(" or ", closest.Select(n => $"**{n}**"))}?";
        return $"Sorry, I didn't catch that. {suggestion} To give a credit, write it like {CreditExample}; **help** shows everything I can do.";
    }

    private static readonly HashSet<string> Words = ["help", "commands", "menu", "what can you do", "what can i do", "how does this work", "hi", "hello", "hey",
        "what do you do", "what are you", "what can you help with", "what can you help me with", "how do i use this", "how does it work",
        "how do you work", "what can this bot do", "what is this", "how do i use you", "what do i type", "what do i say", "what do i write",
        "what should i type", "what should i say", "what can i type", "what can i say", "i don't know what to do", "i dont know what to do",
        "not sure what to do", "what do i do", "what should i do", "now what", "what now", "where do i start", "?", "what can this do", "what does this do", "what can it do",
        "what does this bot do", "what does it do", "what are my options", "what are the options", "options", "instructions", "guide", "tutorial", "how to", "how to use", "i'm stuck", "im stuck", "i'm lost", "im lost"];

    public CommandInfo Info { get; } = new("help", "help", "Everything I can do, with examples", "Getting started");

    public bool Recognizes(string text) => Words.Contains(text) || Asked().IsMatch(text);

    /// <summary>"what commands are there", "how do I use this bot", "I need help", "I'm new, what do I type?": questions about the bot itself.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^(?!.*\d)(?!.*\b(?:without|limits?|rules|policy|max|maximum)\b)(?:(?:hey|so|ok|okay|um),? )?(?:(?:i'?m|i am) new(?: here)?[,.!]* |new here[,.!]* )?(?:(?:i'?m|i am) new(?: here| to this)?|new here|(?:what|which|how|show|list|tell me|give me|(?:can|could) you explain|explain)\b.*\b(?:commands|works?|use (?:this|you|it|the bot|empowerbot)(?: bot| thing| app)?|do you do|can you do|can i do|you can do|can i ask|can i say|(?:do|should|can) i (?:type|write|say)|(?:do|can|should) i (?:give|apply|do|make|log|raise|report|submit|add|send|share|request|ask for|use) (?:a|an|some) .*|do i (?:start|get started|begin)|get started|getting started|does this (?:bot |thing |app )?work|does it work|help)\b.*|(?:i )?need (?:some )?help(?: with (?:the|this) bot)?|can you help(?: me)?)$")]
    private static partial System.Text.RegularExpressions.Regex Asked();

    // The registry is fixed once the app runs, so each audience's sections are worked out, and serialised for the card,
    // once (a race only repeats the work).
    private JsonElement? _forManagers;
    private JsonElement? _forOthers;

    public async Task<TurnResult> HandleAsync(TurnContext context, CancellationToken ct)
    {
        var sections = context.Person.IsManager
            ? _forManagers ??= Sections(managers: true)
            : _forOthers ??= Sections(managers: false);
        var person = context.Person;
        var intro = person switch
        {
            { Team: null } => $"Hi {context.Turn.FirstName}! Here is what I can do.",
            { HasBudget: true } => $"Hi {context.Turn.FirstName}! You have a monthly budget of {person.MonthlyBudget} to solve customer problems on the spot. Here is what I can do.",
            { IsManager: true } => $"Hi {context.Turn.FirstName}! Your reps each have {person.Team.MonthlyBudget} a month to solve customer problems on the spot; only true exceptions reach you. Here is what I can do.",
            _ => $"Hi {context.Turn.FirstName}! You have no budget of your own this month, so a credit you give is asked of a manager. Here is what I can do.",
        };
        var (line, button) = await waiting.ForAsync(person, ct);
        return TurnResult.Of(Reply.Show("help", new HelpCard(intro, sections, person.HasBudget, line, button), line.Length > 0 ? $"{intro} {line}" : intro));
    }

    /// <summary>The order of the help card's sections, whatever order features registered their commands in.</summary>
    private static readonly List<string> SectionOrder =
        ["Getting started", "Your budget", "Credits", "Approvals", "Your team", "Good news", "Obstacles and ideas", "Quiet time"];

    private JsonElement Sections(bool managers) => CardTemplates.Prepare(
        // Resolved lazily: the registry contains this command too.
        services.GetRequiredService<IEnumerable<ICommand>>()
            .Select(c => c.Info)
            .Where(i => !i.ManagersOnly || managers)
            .GroupBy(i => i.Section)
            .OrderBy(g => SectionOrder.IndexOf(g.Key) is var at and >= 0 ? at : SectionOrder.Count)
            .Select(g => new HelpSection(g.Key, g.Select(i => new HelpLine(i.Usage, i.Description)).ToList()))
            .ToList());
}

/// <summary>The help card's data: <paramref name="Sections"/> is a list of <see cref="HelpSection"/>, serialised once.</summary>
public sealed record HelpCard(string Intro, JsonElement Sections, bool HasBudget, string Waiting, string ReviewTitle);

public sealed record HelpSection(string Title, IReadOnlyList<HelpLine> Commands);

public sealed record HelpLine(string Say, string Does);

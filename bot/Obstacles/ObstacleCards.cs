using System.Globalization;
using EmpowerBot.Conversation;
using EmpowerBot.Conversation.Cards;

namespace EmpowerBot.Obstacles;

/// <summary>Builds the obstacle cards' view models: the one place that decides what each viewer sees.</summary>
public sealed class ObstacleCards(Roster roster)
{
    public const int ListedText = 200;
    public const int ListSize = 10;

    public const string AnonymousNote =
        "Anonymous: I keep no record of who you are, so you won't get updates on it (check on it with **obstacle** and its number), " +
        "and its first +1 counts for nobody in particular.";

    public static IReadOnlyList<ObstacleChoice> Categories { get; } =
        Enum.GetValues<ObstacleCategory>().Select(c => new ObstacleChoice(c.Label(), c.ToString())).ToList();

    public static IReadOnlyList<ObstacleChoice> Kinds { get; } =
    [
        new("An obstacle: something gets in the way", ObstacleKind.Obstacle.ToString()),
        new("An idea: something that would help", ObstacleKind.Idea.ToString()),
    ];

    public static Reply Form(ObstacleKind kind, string text, ObstacleCategory? category, bool anonymous, IReadOnlyList<string> problems)
    {
        var intro = problems.Count == 0
            ? "What gets in the way of serving customers, or what would help? Colleagues can back it, and a manager picks it up."
            : "I need a little more before I log this.";
        var card = new ObstacleFormCard(intro, problems.Count > 0, problems.Select(p => new ObstacleProblem(p)).ToList(), kind.ToString(), Kinds,
            text, ObstacleText.MaxLength, category?.ToString() ?? "", Categories, anonymous ? "true" : "false", AnonymousNote,
            CardKeys.Mint()); // carried back by "Log it", so a second click logs nothing new
        return Reply.Show("obstacle-form", card, problems.Count == 0 ? "Name an obstacle or share an idea: fill in the form." : string.Join(" ", problems));
    }

    public static Reply Similar(IReadOnlyList<Obstacle> matches, ObstacleDraft draft)
    {
        var lines = matches.Select(o => new SimilarObstacle(o.Id,
            $"'{CardText.Inert(o.Text, ListedText)}', backed by {Count(o.Votes, "person", "people")}",
            $"#{o.Id} · {o.Kind.Label()} · {o.Category.Label()} · {o.Status.Label()}")).ToList();
        var intro = draft.Anonymous
            ? "Something like this is already open. A +1 adds your name as a backer, so it counts once and you hear when it moves; to stay anonymous, log yours separately."
            : "Something like this is already open. Back it with +1 and you'll hear when it moves, or log yours separately.";
        var card = new ObstacleSimilarCard(intro, lines, CardText.Inert(draft.Text, ListedText), draft.Anonymous, AnonymousNote,
            draft.Text, draft.Kind.ToString(), draft.Category.ToString(), draft.Anonymous);
        var first = matches[0];
        return Reply.Show("obstacle-similar", card, $"Something similar is already open: '{Plain(first.Text)}' (#{first.Id}), backed by {Count(first.Votes, "person", "people")}. +1 it, or log yours separately.");
    }

    /// <summary>" · 3 customers said the same": the customers whose low rating matched it; empty when none did.</summary>
    public static string CustomersSaid(Obstacle o) => o.CustomerEvidence > 0 ? $" · {Count(o.CustomerEvidence, "customer")} said the same" : "";

    public ObstacleListCard List(IReadOnlyList<Obstacle> top, int openCount, Person viewer, ISet<int> backed)
    {
        var items = top.Select(o => new ObstacleListItem(
            o.Id,
            CardText.Inert(o.Text, ListedText),
            $"#{o.Id} · {o.Kind.Label()} · {o.Category.Label()} · {o.Status.Label()} · {Count(o.Votes, "backer")}" + CustomersSaid(o) + (backed.Contains(o.Id) ? " · you back it" : ""),
            o.Votes,
            o.LastChange?.Note is not null,
            NoteLine(o),
            !o.IsClosed && !backed.Contains(o.Id),
            viewer.IsManager ? StatusButtons(o) : [])).ToList();
        var intro = openCount == 0 ? "" : openCount <= top.Count
            ? $"{Count(openCount, "open obstacle")} and ideas, most backed first."
            : $"The {top.Count} most backed of {openCount} open obstacles and ideas.";
        return new ObstacleListCard("What gets in the way", intro, items.Count > 0, items,
            "Nothing open. Type **obstacle** followed by what gets in your way, or **idea** and what would help.", viewer.IsManager);
    }

    public ObstacleStatusCard Status(Obstacle o, Person viewer, bool backed, string? notice)
    {
        var zone = viewer.ReadingZone;
        var team = o.TeamId is { } id ? roster.FindTeam(viewer.TenantId, id)?.Name : null;
        // An anonymous one keeps only its UTC day, which another time zone would shift.
        var raised = (o.Anonymous ? "Anonymously, " : "") + Day(o.CreatedAt, o.Anonymous ? TimeZoneInfo.Utc : zone) + (team is null ? "" : $" · {team}");
        var history = o.History.Select(h => new ObstacleHistoryLine(Day(h.At, zone),
            $"{h.Status.Label()} by {CardText.Inert(h.By, 80)}" + (h.Note is { } n ? $": {CardText.Inert(n, ObstacleTriage.MaxNoteLength)}" : ""))).ToList();
        var status = o.LastChange is { } last ? $"{o.Status.Label()} since {Day(last.At, zone)}" : o.Status.Label();
        return new ObstacleStatusCard(
            o.Id, $"{o.Kind.Label()} #{o.Id}", CardText.Inert(o.Text, ObstacleText.MaxLength), status, o.Category.Label(),
            Count(o.Votes, "person", "people") + CustomersSaid(o), raised, o.LastChange?.Note is not null, NoteLine(o),
            notice is not null, notice ?? "", history.Count > 0, history,
            !o.IsClosed && !backed, viewer.IsManager, viewer.IsManager ? StatusButtons(o) : [],
            viewer.IsManager || (o.Submitter is not null && o.Submitter == viewer.Key), o.Category.ToString(), Categories);
    }

    public Reply StatusReply(Obstacle o, Person viewer, bool backed, string? notice) =>
        Reply.Show("obstacle-status", Status(o, viewer, backed, notice), notice ?? $"{o.Kind.Label()} #{o.Id}: {Plain(o.Text)} ({o.Status.Label()}, {Count(o.Votes, "person", "people")}).");

    public static IReadOnlyList<StatusButton> StatusButtons(Obstacle o) =>
        new (ObstacleStatus Status, string Title)[]
        {
            (ObstacleStatus.Acknowledged, "Acknowledge"), (ObstacleStatus.InProgress, "In progress"), (ObstacleStatus.Fixed, "Fixed"),
            (ObstacleStatus.WontFix, "Won't fix"), (ObstacleStatus.Open, "Reopen"),
        }
        .Where(b => ObstacleTriage.Allowed(o.Status, b.Status))
        .Select(b => new StatusButton(o.Id, b.Title, b.Status.Word()))
        .ToList();

    public static string Count(int n, string one, string? many = null) => n == 1 ? $"1 {one}" : $"{n} {many ?? one + "s"}";

    /// <summary>A card's summary is plain text (notification previews): one line, capped, nothing to escape.</summary>
    public static string Plain(string text)
    {
        var line = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return line.Length <= 80 ? line : line[..79].TrimEnd() + "…";
    }

    private static string NoteLine(Obstacle o) =>
        o.LastChange is { Note: { } note } last ? $"{last.Status.Label()}. Note from {CardText.Inert(last.By, 80)}: {CardText.Inert(note, ObstacleTriage.MaxNoteLength)}" : "";

    private static string Day(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("MMM d", CultureInfo.InvariantCulture);
}

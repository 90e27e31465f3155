using EmpowerBot.Conversation;
using EmpowerBot.Conversation.Cards;

namespace EmpowerBot.Obstacles;

/// <summary>
/// What someone who raised or backed an obstacle is told when a manager changes its status. A plain message (Teams
/// renders it as markdown), so the obstacle's text, the note and the manager's name are made inert.
/// </summary>
public static class ObstacleNews
{
    public const int ShownTextLength = 120;

    public static Reply For(Obstacle obstacle, StatusChange change, bool raised)
    {
        var what = $"'{CardText.Inert(obstacle.Text, ShownTextLength)}' (#{obstacle.Id})";
        var idea = obstacle.Kind == ObstacleKind.Idea;
        var yours = (raised, idea) switch { (true, true) => "which you suggested", (true, false) => "which you raised", _ => "which you backed" };
        var by = CardText.Inert(change.By, 80);
        var note = change.Note is { } n ? CardText.Inert(n, ObstacleTriage.MaxNoteLength) : null;
        var text = change.Status switch
        {
            ObstacleStatus.Fixed => $"Good news: {what}, {yours}, {(idea ? "is done" : "is fixed")}." + (note is null ? "" : $" Note from {by}: '{note}'"),
            ObstacleStatus.WontFix => $"Update on {what}, {yours}: {by} decided {(idea ? "not to do it" : "it won't be fixed")}. Reason: '{note}'",
            ObstacleStatus.InProgress => $"Work has started on {what}, {yours}." + NoteFrom(by, note),
            ObstacleStatus.Acknowledged => $"{by} has acknowledged {what}, {yours}." + NoteFrom(by, note),
            _ => $"{what}, {yours}, is open again: {by} reopened it." + NoteFrom(by, note),
        };
        return Reply.Say(text + $" Type **obstacle {obstacle.Id}** to see it.");
    }

    private static string NoteFrom(string by, string? note) => note is null ? "" : $" Note from {by}: '{note}'";
}

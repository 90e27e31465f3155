using System.Text.Json;
using EmpowerBot.Conversation;

namespace EmpowerBot.Obstacles;

/// <summary>
/// "obstacle the refunds mailbox isn't monitored" or "idea …": logs it (anonymously when the person says so), after
/// showing similar open ones. Alone, "obstacle" opens the form; "obstacle 12" shows number 12. One instance per kind.
/// </summary>
public sealed class ObstacleCommand(ObstacleKind kind, ObstacleIntake intake, ObstacleBoard board, ObstacleVotes votes, ObstacleCards cards) : ICommand
{
    public const string FormCommand = "obstacle-form";

    public CommandInfo Info { get; } = kind == ObstacleKind.Idea
        ? new("idea", "idea a shared template for damaged-item replies", "Suggest what would help; colleagues can back it", "Obstacles and ideas", InMenu: false)
        : new("obstacle", "obstacle the refunds mailbox isn't monitored",
            "Name what gets in the way of serving customers (add \"anonymously\" to leave your name off); colleagues back it, managers fix it",
            "Obstacles and ideas");

    public bool Recognizes(string text) =>
        (ObstacleText.IsSubmission(text, kind) && !ObstacleText.IsTriage(text) && !ObstaclesCommand.IsList(text)) || (kind == ObstacleKind.Obstacle && text == FormCommand);

    public async Task<TurnResult> HandleAsync(TurnContext context, CancellationToken ct)
    {
        var (turn, person) = context;
        if (kind == ObstacleKind.Obstacle && SubmittedCommand.From(turn.FormData) == FormCommand)
        {
            return TurnResult.Of(await SubmitFormAsync(context, turn.FormData!.Value, ct)) with { Unobserved = CardData.Bool(turn.FormData!.Value, "anonymous") };
        }
        var normalized = CommandText.Normalize(turn.Text);
        if (ObstacleText.IsReference(normalized, out var id))
        {
            return TurnResult.Of(await ShowAsync(person, id, ct));
        }
        var typed = ObstacleText.ReadSubmission(turn.Text ?? "", kind);
        if (typed.Text.Length == 0 || normalized == FormCommand)
        {
            return TurnResult.Of(ObstacleCards.Form(kind, "", null, typed.Anonymous, []));
        }
        if (ObstacleIntake.Problem(typed.Text) is { } problem)
        {
            return TurnResult.Of(Reply.Say(problem));
        }
        var draft = new ObstacleDraft(kind, typed.Text, CategoryGuess.For(typed.Text), typed.Anonymous);
        return TurnResult.Of(await intake.SubmitAsync(context, draft, checkSimilar: true, ct)) with { Unobserved = draft.Anonymous };
    }

    private async Task<Reply> SubmitFormAsync(TurnContext context, JsonElement form, CancellationToken ct)
    {
        var text = CardData.String(form, "text")?.Trim() ?? "";
        var formKind = ObstacleLabels.TryParseKind(CardData.String(form, "kind"), out var k) ? k : kind;
        var category = ObstacleLabels.TryParseCategory(CardData.String(form, "category"), out var c) ? c : (ObstacleCategory?)null;
        var anonymous = CardData.Bool(form, "anonymous");
        if (ObstacleIntake.Problem(text) is { } problem)
        {
            return text.Length > ObstacleText.MaxLength
                ? Reply.Say(problem)
                : ObstacleCards.Form(formKind, text, category, anonymous, [problem]);
        }
        var draft = new ObstacleDraft(formKind, text, category ?? CategoryGuess.For(text), anonymous);
        return await intake.SubmitAsync(context, draft, checkSimilar: true, ct);
    }

    private async Task<Reply> ShowAsync(Person person, long id, CancellationToken ct)
    {
        if (id > int.MaxValue || await board.GetAsync(person.TenantId, (int)id, ct) is not { } obstacle)
        {
            return Reply.Say($"There is no obstacle or idea #{id}. Type **obstacles** to see the open ones.");
        }
        var backed = await votes.HasBackedAsync(person.TenantId, obstacle.Id, person.Key, ct);
        return cards.StatusReply(obstacle, person, backed, null);
    }
}

using EmpowerBot.Budget;
using EmpowerBot.Conversation;

namespace EmpowerBot.Insights;

/// <summary>"team": a manager's view of their team this month — the main metric first, then the numbers around it and the good news.</summary>
public sealed class TeamCommand(TeamInsights insights, TimeProvider clock) : ICommand
{
    public CommandInfo Info { get; } = new("team", "team", "Your team's frontline resolution rate, budget use, exceptions and good news", "Your team", ManagersOnly: true);

    public bool Recognizes(string text) => text is "team" or "my team" or "team insights" or "insights" or "digest";

    public async Task<TurnResult> HandleAsync(TurnContext context, CancellationToken ct)
    {
        var person = context.Person;
        if (!person.IsManager || person.Team is not { } team)
        {
            return TurnResult.Of(Reply.Say("The team view is for managers. Type **budget** for your own month."));
        }
        var report = await insights.ForAsync(person.TenantId, team, Period.Containing(clock.GetUtcNow(), team.TimeZone), ct);
        return TurnResult.Of(new Reply(null, TeamCards.Build(report, "Your team's month so far.")));
    }
}

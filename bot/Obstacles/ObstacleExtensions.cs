using EmpowerBot.Conversation;
using EmpowerBot.Hosting;
using EmpowerBot.Storage;

namespace EmpowerBot.Obstacles;

public static class ObstacleExtensions
{
    /// <summary>Registers obstacle logging, votes, triage, their commands and their card actions.</summary>
    public static IHostApplicationBuilder AddObstacles(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(new StripedLock());
        services.AddSettings<ObstacleOptions, ObstacleOptionsValidator>("Obstacles");
        services.AddSingleton<ObstacleChanges>();
        services.AddSingleton<ObstacleBoard>();
        services.AddSingleton<ObstacleCorpus>();
        services.AddSingleton<ObstacleHighlights>();
        services.AddSingleton<EmpowerBot.Insights.ITeamHighlights>(sp => sp.GetRequiredService<ObstacleHighlights>());
        services.AddSingleton<EmpowerBot.Insights.IOrgHighlights>(sp => sp.GetRequiredService<ObstacleHighlights>());
        services.AddSingleton<ObstacleLog>();
        services.AddSingleton<ObstacleVotes>();
        services.AddSingleton<EmpowerBot.Insights.ICustomerComplaints, ObstacleEvidence>();
        services.AddSingleton<ObstacleTriage>();
        services.AddSingleton<ObstacleCards>();
        services.AddSingleton<ObstacleIntake>();
        // In the order help lists them. "obstacle 12 fixed" is triage, never a new obstacle: the submit commands leave it alone.
        services.AddSingleton<ICommand>(sp => ActivatorUtilities.CreateInstance<ObstacleCommand>(sp, ObstacleKind.Obstacle));
        services.AddSingleton<ICommand>(sp => ActivatorUtilities.CreateInstance<ObstacleCommand>(sp, ObstacleKind.Idea));
        services.AddSingleton<ICommand, ObstaclesCommand>();
        services.AddSingleton<ICommand, TriageCommand>();
        services.AddSingleton<ICardActionHandler, VoteAction>();
        services.AddSingleton<ICardActionHandler, LogAction>();
        services.AddSingleton<ICardActionHandler, StatusAction>();
        services.AddSingleton<ICardActionHandler, CategoryAction>();
        return builder;
    }
}

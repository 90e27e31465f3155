using EmpowerBot.Conversation;

namespace EmpowerBot.Insights;

public static class InsightsExtensions
{
    /// <summary>Registers the team view, kudos and the weekly digest.</summary>
    public static IHostApplicationBuilder AddInsights(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<KudosLog>();
        services.AddSingleton<TeamInsights>();
        services.AddSingleton<ICommand, TeamCommand>();
        services.AddSingleton<ICommand, KudosCommand>();
        return builder;
    }
}

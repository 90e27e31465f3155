using EmpowerBot.Conversation;
using EmpowerBot.Hosting;
using EmpowerBot.Outbox;

namespace EmpowerBot.Insights;

public static class InsightsExtensions
{
    /// <summary>Registers the team view, kudos, the finance export and the weekly digest.</summary>
    public static IHostApplicationBuilder AddInsights(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<KudosLog>();
        services.AddSingleton<FeedbackLog>();
        services.AddSingleton<FeedbackIntake>();
        services.AddSingleton<ITeamHighlights, FeedbackHighlights>();
        services.AddSingleton<TeamInsights>();
        services.AddSingleton<ICommand, TeamCommand>();
        services.AddSingleton<OrgInsights>();
        services.AddSingleton<ICommand, OrgCommand>();
        services.AddSingleton<ICommand, KudosCommand>();
        services.AddSettings<InsightsOptions, InsightsOptionsValidator>("Insights");
        services.AddSettings<ExportOptions, ExportOptionsValidator>("Export");
        services.AddHttpContextAccessor();
        services.AddSingleton<ExportLinks>();
        services.AddSingleton<ExportCsv>();
        services.AddSingleton<ICommand, ExportCommand>();
        services.AddSingleton<WeeklyDigest>();
        services.AddSingleton<ExecutiveDigest>();
        services.AddSingleton<ITurnObserver>(sp => sp.GetRequiredService<ExecutiveDigest>());
        services.AddSingleton<IOutboxHandler>(sp => sp.GetRequiredService<ExecutiveDigest>());
        services.AddSingleton<ITurnObserver>(sp => sp.GetRequiredService<WeeklyDigest>());
        services.AddSingleton<IOutboxHandler>(sp => sp.GetRequiredService<WeeklyDigest>());
        return builder;
    }
}

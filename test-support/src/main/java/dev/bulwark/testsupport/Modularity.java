package dev.bulwark.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import org.springframework.modulith.core.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;

/**
 * The module rules every service is held to. Each direct sub-package of the application's
 * package ({@code dev.bulwark.social.guild}, …) is a module, named and described by its
 * {@code package-info.java}. Spring Modulith checks that modules form no cycle and that no
 * module reaches into another's internals (its sub-packages, or its non-public types); this adds
 * that a module makes public only what another module (or another module's test) uses, so what a
 * module exposes is exactly its API. A service with violations it has not yet removed names each one in an allow-list
 * (matched as an exact message): a new violation fails, and so does an allow-listed one that is
 * gone, so the list only shrinks.
 */
public final class Modularity {

    private Modularity() {
    }

    /** Fails unless the application's modules break no rule. */
    public static void verify(Class<?> application) {
        verify(modulesOf(application), Set.of());
    }

    /**
     * The application's modules, read from its classes only: ArchUnit would otherwise also read
     * every library class they mention, which multiplies the time and checks nothing more (the
     * rules are about the application's own packages).
     */
    public static ApplicationModules modulesOf(Class<?> application) {
        return withoutLibraries(() -> ApplicationModules.of(application));
    }

    private static <T> T withoutLibraries(Supplier<T> importing) {
        ArchConfiguration config = ArchConfiguration.get();
        boolean resolve = config.resolveMissingDependenciesFromClassPath();
        config.setResolveMissingDependenciesFromClassPath(false);
        try {
            return importing.get();
        } finally {
            config.setResolveMissingDependenciesFromClassPath(resolve);
        }
    }

    /** Fails on any violation not in {@code known}, and on any entry of {@code known} that no longer occurs. */
    public static void verify(ApplicationModules modules, Set<String> known) {
        List<String> found = violations(modules);
        Set<String> unexpected = new TreeSet<>(found);
        unexpected.removeAll(known);
        Set<String> gone = new TreeSet<>(known);
        gone.removeAll(found);
        if (!unexpected.isEmpty() || !gone.isEmpty()) {
            throw new AssertionError("Module rules of " + modules.getSystemName().orElse("the application") + ":\n"
                    + (unexpected.isEmpty() ? "" : "violations:\n- " + String.join("\n- ", unexpected) + "\n")
                    + (gone.isEmpty() ? "" : "allow-listed but gone (remove them from the list):\n- "
                            + String.join("\n- ", gone) + "\n"));
        }
    }

    /** Every violation, one message each: Spring Modulith's, then public types no other module uses. */
    public static List<String> violations(ApplicationModules modules) {
        if (modules.stream().count() < 2) {
            throw new AssertionError("Expected feature modules below " + modules.getRootPackages() + ", found "
                    + modules.stream().map(ApplicationModule::getName).toList());
        }
        List<String> messages = new ArrayList<>();
        messages.addAll(modules.detectViolations().getMessages());
        JavaClasses withTests = withoutLibraries(() -> new ClassFileImporter()
                .importPackages(modules.getRootPackages().stream().map(p -> p.getName()).toList()));
        modules.stream().forEach(module -> publicButUnused(withTests, module)
                .forEach(type -> messages.add(publicButUnused(type.getName()))));
        return messages.stream().distinct().toList();
    }

    /** The violation message for a public type of a module that no other module uses. */
    public static String publicButUnused(String typeName) {
        return "Type " + typeName + " is public but no other module uses it; make it package-private";
    }

    /**
     * Public top-level types of the module's base package that no class outside the module uses.
     * Uses are looked for in the application's classes and its tests: a type that another
     * module's test drives (the ledger replay property test drives loot, transfers and
     * adjustments) is that module's API as much as one a controller calls.
     */
    private static List<JavaClass> publicButUnused(JavaClasses withTests, ApplicationModule module) {
        String base = module.getBasePackage().getName();
        return withTests.stream()
                .filter(type -> type.getPackageName().equals(base) && type.isTopLevelClass()
                        && type.getModifiers().contains(JavaModifier.PUBLIC) && !type.getSimpleName().equals("package-info"))
                .filter(type -> withTests.stream()
                        .filter(c -> c.getName().equals(type.getName()) || c.getName().startsWith(type.getName() + "$"))
                        .flatMap(c -> c.getDirectDependenciesToSelf().stream())
                        .noneMatch(d -> !within(d.getOriginClass().getPackageName(), base)))
                .toList();
    }

    private static boolean within(String packageName, String base) {
        return packageName.equals(base) || packageName.startsWith(base + ".");
    }
}

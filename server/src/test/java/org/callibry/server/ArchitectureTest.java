package org.callibry.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.Test;

/** Rules every Callibry class keeps, checked on the compiled server and shared classes. */
class ArchitectureTest {
    private static final String ROOT = "org.callibry.server.";

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.callibry");

    @Test
    void noModuleReachesIntoAnotherModulesInternals() {
        noClasses().should(new ArchCondition<>("use another module's internal package") {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                origin.getDirectDependenciesFromSelf().forEach(d -> {
                    JavaClass target = d.getTargetClass();
                    if (target.getPackageName().contains(".internal") && !module(origin).equals(module(target))) {
                        events.add(SimpleConditionEvent.violated(d, d.getDescription()));
                    }
                });
            }
        }).because("a module's internal package is hidden; use its top-level API").check(classes);
    }

    @Test
    void sharedUsesNeitherSpringNorJavaFx() {
        noClasses().that().resideInAPackage("org.callibry.shared..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "javafx..")
                .because("shared is the contract used by the server and the desktop apps alike")
                .check(classes);
    }

    @Test
    void theServerHasNoJavaFx() {
        noClasses().that().resideInAPackage("org.callibry.server..")
                .should().dependOnClassesThat(DescribedPredicate.describe("JavaFX", (JavaClass c) -> c.getPackageName().startsWith("javafx")))
                .because("the server runs headless")
                .check(classes);
    }

    private static String module(JavaClass c) {
        String p = c.getPackageName();
        if (!p.startsWith(ROOT)) {
            return p;
        }
        String rest = p.substring(ROOT.length());
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }
}

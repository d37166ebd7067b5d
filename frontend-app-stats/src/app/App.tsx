// The routes (deep links the LMS and users share) inside the standard Open edX header.
import { lazy, Suspense } from 'react';
import Header from '@edx/frontend-component-header';
import { Skeleton } from '@openedx/paragon';
import { Route, Routes } from 'react-router-dom';
import { CoursesPage } from '../features/courses/index.ts';
import { NotFoundPage } from './NotFoundPage.tsx';

// Course pages hold the charts: `/` loads neither them nor vega.
const CourseLayout = lazy(() =>
  import('../features/course/CourseLayout.tsx').then((m) => ({ default: m.CourseLayout })),
);
const OverviewPage = lazy(() =>
  import('../features/overview/OverviewPage.tsx').then((m) => ({ default: m.OverviewPage })),
);

const UnitsPage = lazy(() =>
  import('../features/units/UnitsPage.tsx').then((m) => ({ default: m.UnitsPage })),
);

const VideosPage = lazy(() =>
  import('../features/videos/VideosPage.tsx').then((m) => ({ default: m.VideosPage })),
);

const LearnersPage = lazy(() =>
  import('../features/learners/LearnersPage.tsx').then((m) => ({ default: m.LearnersPage })),
);
const LearnerPage = lazy(() =>
  import('../features/learners/LearnerPage.tsx').then((m) => ({ default: m.LearnerPage })),
);

export function App() {
  return (
    <>
      <Header />
      <main id="main-content" className="container-xl py-4">
        <Suspense fallback={<Skeleton height={300} />}>
          <Routes>
            <Route path="/" element={<CoursesPage />} />
            <Route path="/courses/:courseId" element={<CourseLayout />}>
              <Route index element={<OverviewPage />} />
              <Route path="units" element={<UnitsPage />} />
              <Route path="videos" element={<VideosPage />} />
              <Route path="learners" element={<LearnersPage />} />
              <Route path="learners/:username" element={<LearnerPage />} />
            </Route>
            <Route path="*" element={<NotFoundPage />} />
          </Routes>
        </Suspense>
      </main>
    </>
  );
}
